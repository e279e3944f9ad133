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

    /** Logits [n, k] at x, loss [n], and gradient (shape of x, flat). */
    record Gradient(Tensor logits, float[] loss, float[] grad) {}
}
