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
     * direct kernel, taking as many images per call as make {@link #ROWS} pixel rows ({@link ChannelsLastConv.Plan#imagesPerCall}).
     */
    static ConvPlan of(ConvGeometry g, float[] w, float[] bias) { return of(g, w, bias, winogradForward(g)); }

    /** As {@link #of} for an input gradient's geometry (flipped weights): Winograd where {@link #winograd} says. */
    static ConvPlan ofInputGradient(ConvGeometry g, float[] w) { return of(g, w, null, winograd(g)); }

    private static ConvPlan of(ConvGeometry g, float[] w, float[] bias, boolean winograd) {
        if (g.groups() != 1) throw new IllegalArgumentException("a conv plan is for one group, got " + g);
        if (winograd) return new WinogradConv(g, w, bias);
        return new ChannelsLastConv.Plan(g, w, bias, ChannelsLastConv.Plan.imagesPerCall(g));
    }

    /**
     * As {@link #of} for a forward whose weights were not prepared, a training step's (they change
     * every step): without F(4x4, 3x3). There a convolution's output feeds BatchNorm on batch
     * statistics, which divides each channel by its spread over the batch, and F(4x4, 3x3)'s error
     * (1e-5 of the output scale) came out as 4e-3 to 1e-2 of preact-resnet18's conv1 gradient at
     * batch 4 to 32 (the direct kernel: 7e-6). The input gradient keeps Winograd (7e-6 there too).
     */
    static ConvPlan unprepared(ConvGeometry g, float[] w, float[] bias) {
        if (g.kh() == 3 && g.groups() == 1) {
            return new ChannelsLastConv.Plan(g, w, bias, ChannelsLastConv.Plan.imagesPerCall(g));
        }
        return of(g, w, bias);
    }

    /** Whether the input gradient takes Winograd for g (its geometry): where it applies, is enabled and is the faster engine. */
    static boolean winograd(ConvGeometry g) { return WinogradConv.applies(g) && WinogradConv.pays(g); }

    /** Fewest F(4x4, 3x3) tiles per batch for which {@link #of} takes Winograd for a forward. */
    int FORWARD_TILES = 16;

    /**
     * Whether {@link #of} (a forward) chooses Winograd for g: as {@link #winograd}, and a 3x3 needs
     * {@link #FORWARD_TILES} tiles. Its transformed weights are 4x the direct kernel's (36 against 9
     * floats per channel pair), and at batch 1 a forward streams its weights from memory: with 4
     * tiles (resnet18's 8x8 layer1 at batch 1) the whole resnet18 forward was 13% slower on
     * Winograd, though the layer alone, weights hot in L2, is faster there.
     */
    static boolean winogradForward(ConvGeometry g) {
        if (!winograd(g)) return false;
        return g.kh() != 3 || (long) g.n() * ((g.outH() + 3) / 4) * ((g.outW() + 3) / 4) >= FORWARD_TILES;
    }

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
