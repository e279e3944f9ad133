package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;

/**
 * A convolution forward prepared for one call (weights transformed or packed once), computed image
 * by image into a channels-last result z[pixel][channel] (outH * outW pixel rows of {@link #oPad()}
 * floats, bias added) that the epilogues ({@link ConvReluPool}, {@link Conv2dKernels}) read with
 * channel vectors. Two engines: {@link WinogradConv} (5x5 and 3x3, stride 1) where it applies and is enabled, else
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

    /** The most images one {@link #image(float[], int, int, float[], boolean)} call computes together. */
    default int images() { return 1; }

    /**
     * z = conv of images [n, n + count) + bias, image j's pixel rows from row j * pixels(); count
     * at most {@link #images()}.
     */
    default void image(float[] x, int n, int count, float[] z, boolean parallel) {
        if (count != 1) throw new IllegalArgumentException("this plan computes one image per call, got " + count);
        image(x, n, z, parallel);
    }

    /** Pixel rows the direct kernel wants per call at least: 8 six-row slivers. */
    int ROWS = 48;

    /**
     * The plan for (g, w, bias): Winograd F(2x2, 5x5) or F(4x4, 3x3) where it applies and is enabled, else the
     * direct kernel, taking as many images per call as make {@link #ROWS} pixel rows.
     */
    static ConvPlan of(ConvGeometry g, float[] w, float[] bias) {
        if (g.groups() != 1) throw new IllegalArgumentException("a conv plan is for one group, got " + g);
        if (winograd(g)) return new WinogradConv(g, w, bias);
        int pixels = Math.max(1, g.outH() * g.outW());
        return new ChannelsLastConv.Plan(g, w, bias, pixels >= ROWS ? 1 : (ROWS + pixels - 1) / pixels);
    }

    /** Whether {@link #of} chooses Winograd for g: where it applies, is enabled and is the faster engine. */
    static boolean winograd(ConvGeometry g) { return WinogradConv.applies(g) && WinogradConv.pays(g); }

    /**
     * Runs a batch of n images through the plan in calls of up to {@link #images()} images, as
     * evenly over the threads as the batch allows; {@code body} gets the first image and the count.
     */
    static void forEachCall(ConvPlan plan, int n, Call body) {
        int per = Math.max(1, Math.min(plan.images(), (n + Parallel.threads() - 1) / Parallel.threads()));
        int calls = (n + per - 1) / per;
        Conv2dKernels.forEach(calls, (i, par) -> body.run(i * per, Math.min(per, n - i * per), par));
    }

    /** One call of {@link #forEachCall}. */
    @FunctionalInterface
    interface Call {
        void run(int first, int count, boolean parallel);
    }

    /** dst[0..o) = bias or zeros (the padded lanes past o stay zero). */
    static void copyBias(float[] bias, float[] dst, int o) {
        if (bias == null) java.util.Arrays.fill(dst, 0, o, 0f);
        else System.arraycopy(bias, 0, dst, 0, o);
    }
}
