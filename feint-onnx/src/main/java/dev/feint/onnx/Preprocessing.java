package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.model.Bounds;

import java.util.Arrays;

/**
 * What ONNX does not record about a classifier's input: the range inputs live in (where attacks
 * clamp), per-channel mean and std in the units of that range (the model is fed (x - mean) / std),
 * whether the model wants its channels as BGR (Feint's inputs are RGB) and as NHWC (Feint's
 * inputs are NCHW). Defaults: [0, 1], mean 0, std 1, rgb, nchw.
 */
public record Preprocessing(Bounds range, float[] mean, float[] std, boolean bgr, boolean nhwc) {
    public Preprocessing {
        if (mean.length != std.length)
            throw new FeintException("mean has " + mean.length + " values and std " + std.length + " (expected one per channel for both)");
        for (float s : std) if (!(s > 0) || !Float.isFinite(s)) throw new FeintException("std values must be finite and > 0, got " + Arrays.toString(std));
        for (float m : mean) if (!Float.isFinite(m)) throw new FeintException("mean values must be finite, got " + Arrays.toString(mean));
        mean = mean.clone();
        std = std.clone();
    }

    public static final Preprocessing DEFAULT = new Preprocessing(Bounds.UNIT, new float[] {0f}, new float[] {1f}, false, false);

    /** True when (x - mean) / std changes nothing. */
    boolean identityNormalisation() {
        for (int i = 0; i < mean.length; i++) if (mean[i] != 0f || std[i] != 1f) return false;
        return true;
    }

    /** Mean and std for c channels (a single value applies to all). */
    float[][] perChannel(int c) {
        if (mean.length != 1 && mean.length != c)
            throw new FeintException("mean and std have " + mean.length + " values but the model's input has " + c + " channels");
        float[] m = new float[c], s = new float[c];
        for (int i = 0; i < c; i++) {
            m[i] = mean[mean.length == 1 ? 0 : i];
            s[i] = std[std.length == 1 ? 0 : i];
        }
        return new float[][] {m, s};
    }

    /**
     * Inputs x [n, c, h, w] in the user's range as the model takes them, on plain arrays (what
     * {@link OnnxModel} does on its autograd graph): channels reversed for bgr, then
     * (x - mean) / std per model channel, then NHWC when asked. x itself is not changed.
     */
    float[] toModelInput(float[] x, int n, int c, int h, int w) {
        float[][] ms = perChannel(c);
        boolean id = identityNormalisation();
        int hw = h * w;
        float[] out = new float[x.length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++) {
                int src = (i * c + (bgr ? c - 1 - ch : ch)) * hw;
                float m = ms[0][ch], s = ms[1][ch];
                for (int p = 0; p < hw; p++) {
                    float v = id ? x[src + p] : (x[src + p] - m) / s;
                    out[nhwc ? (i * hw + p) * c + ch : (i * c + ch) * hw + p] = v;
                }
            }
        return out;
    }

    @Override public String toString() {
        return "range " + range + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)
                + ", " + (bgr ? "bgr" : "rgb") + ", " + (nhwc ? "nhwc" : "nchw");
    }
}
