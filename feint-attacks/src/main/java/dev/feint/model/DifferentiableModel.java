package dev.feint.model;

import dev.feint.tensor.Tensor;

/** A {@link Model} that also gives gradients of a per-example loss with respect to its input. */
public interface DifferentiableModel extends Model {
    /**
     * One forward and one backward pass: the logits at x, the per-example loss, and
     * {@code d loss_i / d x_i} for every example. The gradient is written into {@code into}
     * (length x.size(), overwritten) when not null, so iterative attacks reuse one buffer.
     *
     * @param x inputs [n, c, h, w] in the model's bounds
     * @param loss the per-example loss of the logits
     * @param into a buffer of x.size() floats for the gradient, or null for a new one
     * @return the logits, the loss per example and the input gradient
     */
    Gradient gradient(Tensor x, LossFunction loss, float[] into);

    /**
     * The same into a new buffer.
     *
     * @param x inputs [n, c, h, w] in the model's bounds
     * @param loss the per-example loss of the logits
     * @return the logits, the loss per example and the input gradient
     */
    default Gradient gradient(Tensor x, LossFunction loss) { return gradient(x, loss, null); }

    /**
     * Rows of the input Jacobian: for example i and j &lt; m, {@code d z[i, classes[i][j]] / d x_i}
     * (every {@code classes[i]} has the same length m &gt;= 1), with the logits at x. Costs one
     * backward pass per row j. This default runs one forward and one backward pass per row;
     * {@link NetworkModel} runs one forward pass and keeps its graph for the m backward passes.
     *
     * @param x inputs [n, c, h, w]
     * @param classes for each example, the m classes whose logit gradients are wanted
     * @return the logits at x and the n * m gradient rows
     */
    default Jacobian jacobianRows(Tensor x, int[][] classes) {
        int m = Jacobian.rows(x, classes, numClasses()), n = x.dim(0), d = inputSize();
        float[] out = new float[n * m * d], g = new float[n * d];
        Tensor logits = null;
        for (int j = 0; j < m; j++) {
            Gradient r = gradient(x, LossFunction.logit(Jacobian.column(classes, j)), g);
            if (logits == null) logits = r.logits();
            Jacobian.scatter(g, out, j, m, n, d);
        }
        return new Jacobian(logits, m, out);
    }

    /**
     * What one forward and backward pass gives.
     *
     * @param logits the logits [n, k] at x
     * @param loss the loss per example [n]
     * @param grad the loss's gradient with respect to x (shape of x, flat)
     */
    record Gradient(Tensor logits, float[] loss, float[] grad) {}

    /**
     * Rows of the input Jacobian.
     *
     * @param logits the logits [n, k] at x
     * @param rows m, the rows per example
     * @param grads the rows, flat [n, rows, d]: row (i, j) starts at {@code (i * rows + j) * d}
     */
    record Jacobian(Tensor logits, int rows, float[] grads) {
        /**
         * Checks the requested classes: one list per example, all of the same length m &gt;= 1, each class in 0..k-1.
         *
         * @param x the inputs [n, ...]
         * @param classes the classes per example
         * @param k the number of classes of the model
         * @return m, the rows per example
         */
        public static int rows(Tensor x, int[][] classes, int k) {
            int n = x.dim(0);
            if (classes.length != n) throw new IllegalArgumentException(classes.length + " class lists for " + n + " inputs");
            int m = n == 0 ? 0 : classes[0].length;
            for (int i = 0; i < n; i++) {
                if (classes[i].length != m || m == 0)
                    throw new IllegalArgumentException("every example needs the same number (>= 1) of classes, example " + i
                            + " has " + classes[i].length + " where example 0 has " + m);
                for (int c : classes[i])
                    if (c < 0 || c >= k) throw new IllegalArgumentException("class " + c + " of example " + i + " is outside 0.." + (k - 1));
            }
            return m;
        }

        /**
         * The j-th requested class of every example.
         *
         * @param classes the classes per example
         * @param j the row
         * @return classes[i][j] for every i
         */
        public static int[] column(int[][] classes, int j) {
            int[] c = new int[classes.length];
            for (int i = 0; i < c.length; i++) c[i] = classes[i][j];
            return c;
        }

        /**
         * Copies the gradient of row j into the Jacobian.
         *
         * @param g the gradient [n, d] of row j
         * @param out the Jacobian rows [n, m, d]
         * @param j the row
         * @param m the rows per example
         * @param n the examples
         * @param d the input size per example
         */
        public static void scatter(float[] g, float[] out, int j, int m, int n, int d) {
            for (int i = 0; i < n; i++) System.arraycopy(g, i * d, out, (i * m + j) * d, d);
        }
    }
}
