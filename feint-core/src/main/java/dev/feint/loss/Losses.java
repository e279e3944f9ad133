package dev.feint.loss;

import dev.feint.autograd.Grad;
import dev.feint.autograd.Node;
import dev.feint.autograd.Softmax;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * Losses over a batch of logits [n, k] with integer labels. Every {@code ...PerExample} variant
 * returns [n] (attacks need per-example losses); the plain variants return the mean.
 */
public final class Losses {
    private Losses() {}

    private static void checkLabels(Tensor logits, int[] labels) {
        if (logits.rank() != 2) throw new IllegalArgumentException("expected logits [n,k], got " + logits.shape());
        if (labels.length != logits.dim(0))
            throw new IllegalArgumentException(labels.length + " labels for " + logits.dim(0) + " rows");
        int k = logits.dim(1);
        for (int y : labels)
            if (y < 0 || y >= k) throw new IllegalArgumentException("label " + y + " out of range [0," + k + ")");
    }

    /**
     * Cross-entropy from logits, fused with a stable log-softmax: -log softmax(z)[y], per row.
     *
     * @param logits scores [n, k]
     * @param labels the true class of each row, each in [0, k)
     * @return the loss of each row, [n]
     * @throws IllegalArgumentException if logits are not [n, k] or a label is out of range
     */
    public static Tensor crossEntropyPerExample(Tensor logits, int[] labels) {
        checkLabels(logits, labels);
        int n = logits.dim(0), k = logits.dim(1);
        float[] z = logits.data(), p = new float[n * k], o = new float[n];
        for (int i = 0; i < n; i++) {
            int r = i * k;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) m = Math.max(m, z[r + j]);
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.exp(z[r + j] - m);
            double lse = m + Math.log(s);
            for (int j = 0; j < k; j++) p[r + j] = (float) Math.exp(z[r + j] - lse);
            o[i] = (float) (lse - z[r + labels[i]]);
        }
        return Grad.record(new Tensor(Shape.of(n), o), new Node(logits) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gz = logits.gradBuffer();
                for (int i = 0; i < n; i++) {
                    int r = i * k;
                    for (int j = 0; j < k; j++) gz[r + j] += g[i] * p[r + j];
                    gz[r + labels[i]] -= g[i];
                }
            }
        }, logits);
    }

    /**
     * Mean cross-entropy over the batch: the training loss.
     *
     * @param logits scores [n, k]
     * @param labels the true class of each row, each in [0, k)
     * @return the mean of {@link #crossEntropyPerExample}, a scalar
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return crossEntropyPerExample(logits, labels).mean();
    }

    /**
     * Negative log-likelihood of log-probabilities [n, k], per row: -logProbs[i, y_i].
     *
     * @param logProbs log-probabilities [n, k], as from {@link #logSoftmax}
     * @param labels the true class of each row, each in [0, k)
     * @return the loss of each row, [n]
     * @throws IllegalArgumentException if logProbs are not [n, k] or a label is out of range
     */
    public static Tensor nllPerExample(Tensor logProbs, int[] labels) {
        checkLabels(logProbs, labels);
        int n = logProbs.dim(0), k = logProbs.dim(1);
        float[] z = logProbs.data(), o = new float[n];
        for (int i = 0; i < n; i++) o[i] = -z[i * k + labels[i]];
        return Grad.record(new Tensor(Shape.of(n), o), new Node(logProbs) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gz = logProbs.gradBuffer();
                for (int i = 0; i < n; i++) gz[i * k + labels[i]] -= g[i];
            }
        }, logProbs);
    }

    /**
     * Mean negative log-likelihood over the batch.
     *
     * @param logProbs log-probabilities [n, k]
     * @param labels the true class of each row, each in [0, k)
     * @return the mean of {@link #nllPerExample}, a scalar
     */
    public static Tensor nll(Tensor logProbs, int[] labels) { return nllPerExample(logProbs, labels).mean(); }

    /**
     * Mean squared error over all elements.
     *
     * @param a predictions
     * @param b targets, of the same shape
     * @return mean((a - b)^2), a scalar
     */
    public static Tensor mse(Tensor a, Tensor b) {
        Tensor d = a.sub(b);
        return d.mul(d).mean();
    }

    /**
     * Margin loss per row: max over j != y of z_j, minus z_y. Positive means misclassified; this
     * is the loss of C&amp;W and Square. Gradient goes to the top other logit and the true one.
     *
     * @param logits scores [n, k] with k at least 2
     * @param labels the true class of each row, each in [0, k)
     * @return the margin of each row, [n]
     * @throws IllegalArgumentException if logits are not [n, k], k is below 2 or a label is out of range
     */
    public static Tensor marginPerExample(Tensor logits, int[] labels) {
        checkLabels(logits, labels);
        int n = logits.dim(0), k = logits.dim(1);
        if (k < 2) throw new IllegalArgumentException("margin loss needs at least 2 classes");
        float[] z = logits.data(), o = new float[n];
        int[] other = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i * k, best = -1;
            for (int j = 0; j < k; j++) if (j != labels[i] && (best < 0 || z[r + j] > z[r + best])) best = j;
            other[i] = best;
            o[i] = z[r + best] - z[r + labels[i]];
        }
        return Grad.record(new Tensor(Shape.of(n), o), new Node(logits) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gz = logits.gradBuffer();
                for (int i = 0; i < n; i++) {
                    gz[i * k + other[i]] += g[i];
                    gz[i * k + labels[i]] -= g[i];
                }
            }
        }, logits);
    }

    /**
     * Numerically stable log-softmax over the last axis (see {@link Softmax#logSoftmax}).
     *
     * @param logits scores [n, k]
     * @return log softmax(logits), [n, k]
     */
    public static Tensor logSoftmax(Tensor logits) { return Softmax.logSoftmax(logits); }
}
