package dev.feint.train;

import dev.feint.tensor.Tensor;

/**
 * The clean logits an objective computed for the current batch, handed to the trainer so it can
 * report training accuracy without a second forward pass. Thread-confined.
 */
final class LastLogits {
    private static final ThreadLocal<Tensor> LAST = new ThreadLocal<>();

    private LastLogits() {}

    public static void put(Tensor logits) { LAST.set(logits); }

    static Tensor take() {
        Tensor t = LAST.get();
        LAST.remove();
        return t;
    }
}
