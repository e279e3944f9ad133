package dev.feint.model;

import dev.feint.autograd.Reductions;
import dev.feint.autograd.Softmax;
import dev.feint.tensor.Tensor;

/**
 * The black-box view of a classifier that attacks see: scores for a batch of inputs in
 * {@link #bounds()}, nothing else. Normalisation belongs inside the model, so attacks work in
 * input space. Implementations must be deterministic and must not record an autograd graph.
 */
public interface Model {
    /** Logits [n, numClasses()] for inputs [n, c, h, w]; one query per example. */
    Tensor logits(Tensor x);

    int numClasses();

    Bounds bounds();

    /** [c, h, w] of one input. */
    int[] inputShape();

    /** Arg-max class per example. */
    default int[] predict(Tensor x) { return Reductions.argmaxLast(logits(x)); }

    /** Softmax probabilities [n, k]. */
    default Tensor probabilities(Tensor x) { return softmax(logits(x)); }

    /** Softmax of logits without recording a graph. */
    static Tensor softmax(Tensor logits) {
        try (var ng = dev.feint.autograd.Grad.noGrad()) {
            return Softmax.softmax(logits);
        }
    }

    /** Per-example input size c*h*w. */
    default int inputSize() {
        int[] s = inputShape();
        return s[0] * s[1] * s[2];
    }
}
