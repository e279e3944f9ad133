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
    /**
     * The model's scores; one query per example.
     *
     * @param x inputs [n, c, h, w] in {@link #bounds()}
     * @return logits [n, numClasses()]
     */
    Tensor logits(Tensor x);

    /** {@return the number of classes, the width of the logits} */
    int numClasses();

    /** {@return the range inputs live in: attacks clamp their outputs to it} */
    Bounds bounds();

    /** {@return [c, h, w] of one input} */
    int[] inputShape();

    /**
     * The predicted classes.
     *
     * @param x inputs [n, c, h, w]
     * @return the arg-max class per example
     */
    default int[] predict(Tensor x) { return Reductions.argmaxLast(logits(x)); }

    /**
     * The model's confidence.
     *
     * @param x inputs [n, c, h, w]
     * @return softmax probabilities [n, numClasses()]
     */
    default Tensor probabilities(Tensor x) { return softmax(logits(x)); }

    /**
     * Softmax of logits without recording a graph.
     *
     * @param logits scores [n, k]
     * @return probabilities [n, k]
     */
    static Tensor softmax(Tensor logits) {
        try (var ng = dev.feint.autograd.Grad.noGrad()) {
            return Softmax.softmax(logits);
        }
    }

    /**
     * The one input check of every model: x is [n, c, h, w] with the model's [c, h, w] (shape),
     * else an IllegalArgumentException naming both.
     *
     * @param x the inputs a model was given
     * @param shape the model's [c, h, w]
     */
    static void checkInput(Tensor x, int[] shape) {
        if (x.rank() != 4 || x.dim(1) != shape[0] || x.dim(2) != shape[1] || x.dim(3) != shape[2])
            throw new IllegalArgumentException("model expects inputs [n, " + shape[0] + ", " + shape[1] + ", " + shape[2] + "], got " + x.shape());
    }

    /** {@return the per-example input size c*h*w} */
    default int inputSize() {
        int[] s = inputShape();
        return s[0] * s[1] * s[2];
    }
}
