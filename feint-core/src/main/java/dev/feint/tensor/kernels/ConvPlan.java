package dev.feint.tensor.kernels;

/**
 * A convolution forward prepared for one call (weights transformed or packed once), computed image
 * by image into a channels-last result z[pixel][channel] (outH * outW pixel rows of {@link #oPad()}
 * floats, bias added) that the epilogues ({@link ConvReluPool}, {@link Conv2dKernels}) read with
 * channel vectors. Two engines: {@link WinogradConv} where it applies and is enabled, else
 * {@link ChannelsLastConv}.
 */
interface ConvPlan {
    ConvGeometry g();

    /** Floats per pixel row of z: the output channels rounded up to whole micro-kernel panels. */
    int oPad();

    /** Pixel rows of the conv output: outH * outW. */
    int pixels();

    /** Floats of one image's z buffer. */
    int zSize();

    /**
     * Sets the bias added to z (null: none) for the calls that follow; a plan kept across calls
     * ({@link PreparedConv}) gets its layer's current bias at the start of each call.
     */
    void setBias(float[] bias);

    /** z = conv(x[n]) + bias; with {@code parallel} the work of the one image uses the worker threads. */
    void image(float[] x, int n, float[] z, boolean parallel);

    /** The plan for (g, w, bias): Winograd F(2x2, 5x5) where it applies and is enabled, else the direct kernel. */
    static ConvPlan of(ConvGeometry g, float[] w, float[] bias) {
        if (g.groups() != 1) throw new IllegalArgumentException("a conv plan is for one group, got " + g);
        return WinogradConv.applies(g) ? new WinogradConv(g, w, bias) : new ChannelsLastConv.Plan(g, w, bias);
    }

    /** dst[0..o) = bias or zeros (the padded lanes past o stay zero). */
    static void copyBias(float[] bias, float[] dst, int o) {
        if (bias == null) java.util.Arrays.fill(dst, 0, o, 0f);
        else System.arraycopy(bias, 0, dst, 0, o);
    }
}
