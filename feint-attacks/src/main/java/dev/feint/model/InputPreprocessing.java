package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.autograd.Indexing;
import dev.feint.autograd.Shapes;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * What a foreign model file (ONNX, TorchScript) does not record about a classifier's input: the range inputs live in (where attacks
 * clamp), per-channel mean and std in the units of that range (the model is fed (x - mean) / std),
 * whether the model wants its channels as BGR (Feint's inputs are RGB) and as NHWC (Feint's
 * inputs are NCHW). Defaults: [0, 1], mean 0, std 1, rgb, nchw. Every foreign model (ONNX,
 * TorchScript through DJL) applies it through {@link #transform}; {@link Models#load(java.nio.file.Path, ModelOptions)}
 * takes it as {@link ModelOptions#preprocessing(InputPreprocessing)}. (Not to be confused with
 * {@code dev.feint.data.Preprocessing}, which resizes and crops images before they reach the model.)
 *
 * <pre>{@code
 * var pre = new InputPreprocessing(Bounds.UNIT, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, false, false);
 * LoadedModel m = Models.load(Path.of("resnet18.onnx"), ModelOptions.defaults().preprocessing(pre));
 * }</pre>
 *
 * @param range the range inputs live in, where attacks clamp (the model's {@code bounds()})
 * @param mean per-channel means subtracted before the model, in the units of {@code range} (one value: every channel)
 * @param std per-channel divisors applied after the mean, finite and &gt; 0 (one value: every channel)
 * @param bgr whether the model takes its channels in BGR order (Feint's images are RGB)
 * @param nhwc whether the model takes NHWC inputs (Feint's inputs are NCHW)
 */
public record InputPreprocessing(Bounds range, float[] mean, float[] std, boolean bgr, boolean nhwc) {
    /** Checks that mean and std have one value per channel (or one for all), std &gt; 0, all finite; copies both. */
    public InputPreprocessing {
        if (mean.length != std.length)
            throw new FeintException("mean has " + mean.length + " values and std " + std.length + " (expected one per channel for both)");
        for (float s : std) if (!(s > 0) || !Float.isFinite(s)) throw new FeintException("std values must be finite and > 0, got " + Arrays.toString(std));
        for (float m : mean) if (!Float.isFinite(m)) throw new FeintException("mean values must be finite, got " + Arrays.toString(mean));
        mean = mean.clone();
        std = std.clone();
    }

    /** Inputs in [0, 1], no mean/std, RGB, NCHW: what {@link Models#load} assumes when no preprocessing is given. */
    public static final InputPreprocessing DEFAULT = new InputPreprocessing(Bounds.UNIT, new float[] {0f}, new float[] {1f}, false, false);

    /** {@return true when (x - mean) / std changes nothing} */
    public boolean identityNormalisation() {
        for (int i = 0; i < mean.length; i++) if (mean[i] != 0f || std[i] != 1f) return false;
        return true;
    }

    /**
     * Mean and std for {@code c} channels (a single value applies to all).
     *
     * @param c the model's input channels
     * @return {means, stds}, each of length {@code c}
     * @throws FeintException when mean and std have neither one value nor {@code c}
     */
    public float[][] perChannel(int c) {
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
     * What the model is fed for inputs [n, c, h, w] in {@link #range()}: channels reversed for
     * bgr, (x - mean) / std, permuted to NHWC, in Feint's ops, so gradients flow back through it.
     * The identity when nothing applies.
     *
     * @param channels the number of input channels c (mean and std must have one value or c)
     * @return the differentiable map from Feint's inputs to what the model is fed
     */
    public UnaryOperator<Tensor> transform(int channels) {
        float[][] ms = perChannel(channels);
        Tensor m = identityNormalisation() ? null : Tensor.of(ms[0], 1, channels, 1, 1);
        Tensor s = m == null ? null : Tensor.of(ms[1], 1, channels, 1, 1);
        int[] reversed = new int[channels];
        for (int i = 0; i < channels; i++) reversed[i] = channels - 1 - i;
        return x -> {
            Tensor h = x;
            if (bgr) h = Indexing.gather(h, 1, reversed, new int[] {channels});
            if (m != null) h = h.sub(m).div(s);
            if (nhwc) h = Shapes.permute(h, 0, 2, 3, 1);
            return h;
        };
    }

    /** {@return a copy of the per-channel means} */
    @Override public float[] mean() { return mean.clone(); }

    /** {@return a copy of the per-channel stds} */
    @Override public float[] std() { return std.clone(); }

    /** Equal when every field is, the arrays by content. */
    @Override public boolean equals(Object o) {
        return o instanceof InputPreprocessing p && range.equals(p.range) && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std)
                && bgr == p.bgr && nhwc == p.nhwc;
    }

    @Override public int hashCode() { return java.util.Objects.hash(range, Arrays.hashCode(mean), Arrays.hashCode(std), bgr, nhwc); }

    @Override public String toString() {
        return "range " + range + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)
                + ", " + (bgr ? "bgr" : "rgb") + ", " + (nhwc ? "nhwc" : "nchw");
    }
}
