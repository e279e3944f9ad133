package dev.feint.nn;

import dev.feint.autograd.Normalization;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/** Inverted dropout: in training zeroes each element with probability p and scales the rest by 1/(1-p). */
public final class Dropout extends Module {
    /** The probability of zeroing an element in training. */
    public final float p;
    private final long seed;
    private final long[] calls = new long[1];

    /**
     * A dropout layer whose masks come from a seed drawn from {@code rng} and the call count.
     *
     * @param p the drop probability, in [0, 1)
     * @param rng gives the layer its seed (advanced)
     * @throws IllegalArgumentException if p is outside [0, 1)
     */
    public Dropout(float p, SplittableRandom rng) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout p must be in [0,1), got " + p);
        this.p = p;
        this.seed = rng.nextLong();
    }

    @Override protected void ownRngCounters(String prefix, java.util.Map<String, long[]> out) {
        out.put(prefix + "calls", calls);
    }

    @Override public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        float[] mask = new float[x.size()];
        float keep = 1f / (1f - p);
        // A fresh stream per call, keyed by the call count, so a resumed run draws the same masks.
        SplittableRandom rng = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * ++calls[0]);
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextDouble() < p ? 0f : keep;
        return Normalization.dropout(x, mask);
    }
}
