package dev.feint.data;

import dev.feint.FeintException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic preprocessing for evaluation, applied in this order: resize so the shorter side
 * is {@code resize} pixels (aspect kept; a triangle filter widened when shrinking, as PIL's
 * antialiased bilinear), centre crop to {@code cropHeight x cropWidth}, then grayscale to RGB
 * (the gray level in each channel) or RGB to grayscale (ITU-R 601 luma, as PIL's "L") to
 * {@code channels}. Sizes and crop offsets are torchvision's ({@code Resize(n)}, {@code CenterCrop}). A step whose value is 0, or which would not change the size, is skipped, so
 * data already of the target shape passes bit for bit. Per-channel mean/std stay in the model.
 *
 * <pre>{@code
 * Dataset fitted = Datasets.load("cifar10", "test").preprocessed(Preprocessing.fit(new int[] {1, 28, 28}));
 * }</pre>
 *
 * @param resize     shorter side after resizing, or 0 to keep the size
 * @param cropHeight height of the centre crop, or 0 for none (with cropWidth)
 * @param cropWidth  width of the centre crop, or 0 for none
 * @param channels   1 or 3 to convert to, or 0 to keep
 */
public record Preprocessing(int resize, int cropHeight, int cropWidth, int channels) {
    /** Largest side any step may produce. */
    public static final int MAX_SIDE = 1 << 14;

    /** No preprocessing: every example passes unchanged. */
    public static final Preprocessing NONE = new Preprocessing(0, 0, 0, 0);

    /**
     * Checks the sizes and channel count.
     *
     * @throws FeintException if a size is out of range, only one crop side is given, or channels is not 0, 1 or 3
     */
    public Preprocessing {
        if (resize < 0 || resize > MAX_SIDE) throw new FeintException("resize " + resize + " (expected 0..." + MAX_SIDE + ")");
        if (cropHeight < 0 || cropWidth < 0 || cropHeight > MAX_SIDE || cropWidth > MAX_SIDE || (cropHeight == 0) != (cropWidth == 0))
            throw new FeintException("crop " + cropHeight + "x" + cropWidth + " (expected both 1.." + MAX_SIDE + ", or both 0 for none)");
        if (channels != 0 && channels != 1 && channels != 3) throw new FeintException("channels " + channels + " (expected 1 or 3, or 0 to keep)");
    }

    /**
     * To a model's input [C,H,W]: shorter side to max(H,W), centre crop HxW, C channels.
     *
     * @param input the model's input shape [C,H,W]
     * @return the preprocessing
     */
    public static Preprocessing fit(int[] input) {
        return new Preprocessing(Math.max(input[1], input[2]), input[1], input[2], input[0]);
    }

    /** {@return true if no step does anything} */
    public boolean isIdentity() { return resize == 0 && cropHeight == 0 && channels == 0; }

    /**
     * [C,H,W] after preprocessing an example of {@code in} [C,H,W].
     *
     * @param in an example's shape [C,H,W]
     * @return the shape after preprocessing
     * @throws FeintException if the crop is larger than the (resized) image
     */
    public int[] outputShape(int[] in) {
        int[] s = resized(in[1], in[2]);
        int h = s[0], w = s[1];
        if (cropHeight > 0) {
            if (cropHeight > h || cropWidth > w)
                throw new FeintException("crop " + cropHeight + "x" + cropWidth + " of a " + h + "x" + w
                        + " image (expected a crop no larger than the image" + (resize > 0 ? " after resizing to " + resize : "")
                        + "; resize first)");
            h = cropHeight;
            w = cropWidth;
        }
        return new int[] {channels == 0 ? in[0] : channels, h, w};
    }

    /**
     * One example {@code [c,h,w]} preprocessed (a new array, or {@code x} itself when nothing changes).
     *
     * @param x the example's values
     * @param c its channels
     * @param h its height
     * @param w its width
     * @return the preprocessed values, of {@link #outputShape} for {@code [c,h,w]}
     */
    public float[] apply(float[] x, int c, int h, int w) {
        int[] s = resized(h, w);
        if (s[0] != h || s[1] != w) {
            x = Resampling.resize(x, c, h, w, s[0], s[1]);
            h = s[0];
            w = s[1];
        }
        if (cropHeight > 0 && (cropHeight != h || cropWidth != w)) {
            outputShape(new int[] {c, h, w}); // the size check
            float[] out = new float[c * cropHeight * cropWidth];
            int top = (int) Math.rint((h - cropHeight) / 2.0), left = (int) Math.rint((w - cropWidth) / 2.0); // torchvision's round
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < cropHeight; y++)
                    System.arraycopy(x, (ch * h + top + y) * w + left, out, (ch * cropHeight + y) * cropWidth, cropWidth);
            x = out;
            h = cropHeight;
            w = cropWidth;
        }
        if (channels != 0 && channels != c) x = c == 1 ? toRgb(x, h * w) : toGray(x, h * w);
        return x;
    }

    /** {@return what was applied, for the report's JSON} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resizeShorterSide", resize == 0 ? null : resize);
        m.put("resizeFilter", resize == 0 ? null : "triangle (antialiased bilinear)");
        m.put("centreCrop", cropHeight == 0 ? null : new int[] {cropHeight, cropWidth});
        m.put("channels", channels == 0 ? null : channels);
        m.put("order", "resize, crop, channels");
        return m;
    }

    private int[] resized(int h, int w) {
        if (resize == 0 || Math.min(h, w) == resize) return new int[] {h, w};
        // torchvision's sizes: the longer side is truncated, int(size * long / short)
        long lh = h <= w ? resize : (long) ((double) resize * h / w), lw = h <= w ? (long) ((double) resize * w / h) : resize;
        if (lh > MAX_SIDE || lw > MAX_SIDE || lh < 1 || lw < 1)
            throw new FeintException("resizing a " + h + "x" + w + " image to shorter side " + resize + " gives " + lh + "x" + lw
                    + " (expected sides 1.." + MAX_SIDE + ")");
        return new int[] {(int) lh, (int) lw};
    }

    private static float[] toRgb(float[] g, int hw) {
        float[] out = new float[3 * hw];
        for (int ch = 0; ch < 3; ch++) System.arraycopy(g, 0, out, ch * hw, hw);
        return out;
    }

    private static float[] toGray(float[] rgb, int hw) {
        float[] out = new float[hw];
        for (int p = 0; p < hw; p++) out[p] = 0.299f * rgb[p] + 0.587f * rgb[hw + p] + 0.114f * rgb[2 * hw + p];
        return out;
    }
}
