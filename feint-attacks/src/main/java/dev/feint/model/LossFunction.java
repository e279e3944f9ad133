package dev.feint.model;

import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Grad;
import dev.feint.autograd.Node;
import dev.feint.loss.Losses;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * A per-example scalar of the logits, built from differentiable ops: logits [n, k] -> [n].
 * {@link DifferentiableModel#gradient} differentiates the sum, which is the per-example
 * gradient because examples do not interact in an eval-mode network.
 *
 * <pre>{@code
 * DifferentiableModel.Gradient g = model.gradient(x, LossFunction.crossEntropy(labels), null);
 * LossFunction toward = LossFunction.crossEntropy(targets).negate();   // a targeted attack descends it
 * }</pre>
 */
@FunctionalInterface
public interface LossFunction {
    /**
     * The loss of each row of logits, built from differentiable ops.
     *
     * @param logits the logits [n, k]
     * @return the per-example loss [n]
     */
    Tensor apply(Tensor logits);

    /**
     * Cross-entropy of the softmax against {@code labels}.
     *
     * @param labels the true class of each row
     * @return the loss
     */
    static LossFunction crossEntropy(int[] labels) { return z -> Losses.crossEntropyPerExample(z, labels); }

    /**
     * Top other logit minus the labelled one: positive means misclassified.
     *
     * @param labels the true class of each row
     * @return the loss
     */
    static LossFunction margin(int[] labels) { return z -> Losses.marginPerExample(z, labels); }

    /**
     * Croce and Hein's difference of logits ratio (needs 3 classes); see {@link Dlr}.
     *
     * @param labels the true class of each row
     * @return the loss
     */
    static LossFunction dlr(int[] labels) { return z -> Dlr.untargeted(z, labels); }

    /**
     * The targeted difference of logits ratio toward {@code targets} (needs 4 classes); see {@link Dlr}.
     *
     * @param labels the true class of each row
     * @param targets the class each row should reach
     * @return the loss
     */
    static LossFunction targetedDlr(int[] labels, int[] targets) { return z -> Dlr.targeted(z, labels, targets); }

    /**
     * {@code z[i, a[i]] - z[i, b[i]]} per row (DeepFool's linearised boundary).
     *
     * @param a the first class of each row
     * @param b the class subtracted, per row
     * @return the loss
     */
    static LossFunction logitDifference(int[] a, int[] b) { return z -> logitDiff(z, a, b); }

    /**
     * {@code z[i, c[i]]} per row: one row of the input Jacobian.
     *
     * @param c the class of each row
     * @return the loss
     */
    static LossFunction logit(int[] c) { return z -> logitDiff(z, c, null); }

    /** {@return this loss with its sign flipped (ascending one descends the other)} */
    default LossFunction negate() { return z -> Elementwise.scale(apply(z), -1f); }

    /** z[i, a[i]] - z[i, b[i]], or z[i, a[i]] when b is null. */
    private static Tensor logitDiff(Tensor z, int[] a, int[] b) {
        int n = z.dim(0), k = z.dim(1);
        if (a.length != n || (b != null && b.length != n))
            throw new IllegalArgumentException(a.length + "/" + (b == null ? "-" : b.length) + " classes for " + n + " rows");
        float[] zd = z.data(), o = new float[n];
        for (int i = 0; i < n; i++) o[i] = zd[i * k + a[i]] - (b == null ? 0f : zd[i * k + b[i]]);
        return Grad.record(new Tensor(Shape.of(n), o), new Node(z) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gz = z.gradBuffer();
                for (int i = 0; i < n; i++) {
                    gz[i * k + a[i]] += g[i];
                    if (b != null) gz[i * k + b[i]] -= g[i];
                }
            }
        }, z);
    }
}
