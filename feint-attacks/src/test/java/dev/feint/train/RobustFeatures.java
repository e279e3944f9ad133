package dev.feint.train;

import dev.feint.data.Dataset;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny problem with one robust and many non-robust features (after Tsipras et al. 2019):
 * pixels 0-3 carry the label with margin 0.3 but are right only 90% of the time; pixels 4-63
 * carry it with margin 0.08 each plus noise, which together predict almost perfectly but an
 * Linf perturbation of 0.1 can flip them all. Standard training leans on the non-robust
 * pixels; adversarial training must learn the robust ones.
 */
final class RobustFeatures {
    private RobustFeatures() {}

    static Dataset make(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            float s = y[i] == 1 ? 1f : -1f;
            float robust = r.nextDouble() < 0.9 ? s : -s;
            for (int p = 0; p < 64; p++) {
                double v = p < 4 ? 0.5 + 0.3 * robust : 0.5 + 0.08 * s + 0.1 * gauss(r);
                x[i * 64 + p] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new Dataset("robust-features", Tensor.of(x, n, 1, 8, 8), y, 2, List.of("a", "b"));
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
