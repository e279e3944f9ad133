package dev.feint.data;

import dev.feint.tensor.Tensor;

/**
 * One mini-batch: inputs {@code x} [B,C,H,W], labels {@code y} [B], and the dataset
 * {@code indices} the examples came from (so results can be traced back to examples).
 *
 * @param x the inputs, {@code [B,C,H,W]}
 * @param y the labels, {@code [B]}
 * @param indices the dataset index of each example, {@code [B]}
 */
public record Batch(Tensor x, int[] y, int[] indices) {
    /**
     * Checks that inputs, labels and indices have one entry per example.
     *
     * @throws IllegalArgumentException if their lengths differ
     */
    public Batch {
        if (x.rank() < 1 || x.dim(0) != y.length || y.length != indices.length)
            throw new IllegalArgumentException("batch of " + x.shape() + " with " + y.length + " labels and "
                    + indices.length + " indices");
    }

    /** {@return the number of examples} */
    public int size() { return y.length; }
}
