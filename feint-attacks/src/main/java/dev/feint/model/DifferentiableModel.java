package dev.feint.model;

import dev.feint.tensor.Tensor;

/** A {@link Model} that also gives gradients of a per-example loss with respect to its input. */
public interface DifferentiableModel extends Model {
    /**
     * One forward and one backward pass: the logits at x, the per-example loss, and
     * {@code d loss_i / d x_i} for every example. The gradient is written into {@code into}
     * (length x.size(), overwritten) when not null, so iterative attacks reuse one buffer.
     */
    Gradient gradient(Tensor x, LossFunction loss, float[] into);

    default Gradient gradient(Tensor x, LossFunction loss) { return gradient(x, loss, null); }

    /**
     * Rows of the input Jacobian: for example i and j &lt; m, {@code d z[i, classes[i][j]] / d x_i}
     * (every {@code classes[i]} has the same length m &gt;= 1), with the logits at x. Costs one
     * backward pass per row j. This default runs one forward and one backward pass per row;
     * {@link NetworkModel} runs one forward pass and keeps its graph for the m backward passes.
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

    /** Logits [n, k] at x, loss [n], and gradient (shape of x, flat). */
    record Gradient(Tensor logits, float[] loss, float[] grad) {}

    /** Logits [n, k] and the Jacobian rows, flat [n, rows, d]: row (i, j) starts at {@code (i * rows + j) * d}. */
    record Jacobian(Tensor logits, int rows, float[] grads) {
        /** Checks classes against x and k; returns m, the rows per example. */
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

        /** classes[i][j] for every i. */
        public static int[] column(int[][] classes, int j) {
            int[] c = new int[classes.length];
            for (int i = 0; i < c.length; i++) c[i] = classes[i][j];
            return c;
        }

        /** Copies the gradient g [n, d] of row j into out [n, m, d]. */
        public static void scatter(float[] g, float[] out, int j, int m, int n, int d) {
            for (int i = 0; i < n; i++) System.arraycopy(g, i * d, out, (i * m + j) * d, d);
        }
    }
}
