package dev.feint.tensor.kernels;

/**
 * A convolution's input gradient from an output gradient held channels-last, [n][outH][outW][o]
 * (a recorded convolution that kept its output channels-last), into gradX held channels-last
 * [n][h][w][c] or NCHW, on the same engines as {@link Conv2dKernels#backwardInput}: the transposed
 * convolution on {@link ChannelsLastConv} / {@link WinogradConv} reading the gradient where it is
 * (stride 1), {@link StridedInputGradient}'s phases (strided), {@link DepthwiseConv}'s channel
 * vectors (depthwise), and GEMM + col2im with the gradient read transposed (a stem's few input
 * channels). Between two channels-last ops the gradient then needs no transpose. For the
 * geometries {@link ChannelsLastForward#applies} takes (not other grouped convolutions). Same sums
 * in the same order as the NCHW kernels.
 *
 * <pre>{@code ChannelsLastInputGradient.backwardInput(g, gz, w, gradX, true, null);}</pre>
 */
public final class ChannelsLastInputGradient {
    private static final ThreadLocal<float[][]> IMAGE = ThreadLocal.withInitial(() -> new float[1][0]);

    private ChannelsLastInputGradient() {}

    /**
     * gradX += conv-transpose of gz with w.
     *
     * @param g the geometry
     * @param gz the gradient of the output, [n][outH][outW][o]
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to: [n][h][w][c] with {@code gradXChannelsLast}, else NCHW
     * @param gradXChannelsLast the layout of gradX
     * @param prepared w prepared by {@link PreparedConv#inputGradient} (one group) or {@link PreparedConv#forward} (depthwise), or null
     */
    public static void backwardInput(ConvGeometry g, float[] gz, float[] w, float[] gradX, boolean gradXChannelsLast, PreparedConv prepared) {
        Conv2dKernels.checkSizes(g, gradX, "gradX", Conv2dKernels.inputSize(g), w, gz, "gradOut", Conv2dKernels.outputSize(g));
        boolean fits = prepared != null && prepared.fits(g);
        if (g.groups() > 1) {
            if (!DepthwiseConv.applies(g)) throw new IllegalArgumentException("no channels-last input gradient for " + g);
            DepthwiseConv.backwardInputChannelsLast(g, gz, w, gradX, gradXChannelsLast, fits ? prepared.depthwise : null);
            return;
        }
        if (Conv2dKernels.asChannelsLastConv(g)) {
            transposed(g, gz, w, gradX, gradXChannelsLast, fits && prepared.plan != null ? prepared.planFor(g) : Conv2dKernels.inputGradientPlan(g, w));
            return;
        }
        if (Conv2dKernels.stridedInputGradient() && StridedInputGradient.applies(g)) {
            StridedInputGradient.Phases p = fits && prepared.strided != null ? prepared.strided : StridedInputGradient.plan(g, w);
            StridedInputGradient.backwardInputChannelsLast(p, g, gz, gradX, gradXChannelsLast);
            return;
        }
        columns(g, gz, w, gradX, gradXChannelsLast);
    }

    /** Stride 1: the input gradient is a convolution of gz (see {@link Conv2dKernels#asChannelsLastConv}), read channels-last. */
    private static void transposed(ConvGeometry g, float[] gz, float[] w, float[] gradX, boolean gradXChannelsLast, ConvPlan plan) {
        int c = g.c(), chw = c * g.h() * g.w(), rows = plan.pixels() * plan.oPad();
        ConvPlan.forEachCall(plan, g.n(), (n, count, par) -> {
            float[] z = ChannelsLastConv.z(plan);
            image(plan, gz, true, n, count, z, par);
            for (int j = 0; j < count; j++) {
                if (gradXChannelsLast) Layouts.addRows(z, j * rows, plan.oPad(), plan.pixels(), c, gradX, (n + j) * chw);
                else ChannelsLastConv.addToPlanes(plan, z, j * rows, gradX, (n + j) * chw);
            }
        });
    }

    /**
     * GEMM + col2im (the stems: 3 input channels fill too few lanes of a transposed convolution):
     * col = W^T gz_n^T, gz_n read as the transposed operand; gradX row-major per image (copied
     * into a channels-last gradX after).
     */
    private static void columns(ConvGeometry g, float[] gz, float[] w, float[] gradX, boolean gradXChannelsLast) {
        int o = g.o(), ohw = g.outH() * g.outW(), k = g.patch(), chw = g.c() * g.h() * g.w();
        boolean direct = Conv2dKernels.isPointwise(g) && !gradXChannelsLast;
        Gemm.PackedA wt = Conv2dKernels.packOnce(g.n(), true, k, o, w);
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            if (direct) {
                Conv2dKernels.gemm(par, wt, true, true, k, ohw, o, w, 0, k, gz, n * ohw * o, o, gradX, n * chw, ohw, true);
                return;
            }
            float[] col = Conv2dKernels.col(k * ohw);
            Conv2dKernels.gemm(par, wt, true, true, k, ohw, o, w, 0, k, gz, n * ohw * o, o, col, 0, ohw, false);
            if (!gradXChannelsLast) {
                Im2col.col2imAdd(g, col, gradX, n * chw);
                return;
            }
            float[] one = buffer(chw);
            java.util.Arrays.fill(one, 0, chw, 0f);
            Im2col.col2imAdd(g.withBatch(1), col, one, 0);
            Layouts.transposeAdd(one, 0, g.c(), g.h() * g.w(), gradX, n * chw);
        });
    }

    /** plan's z for images [n, n + count) of x, NCHW or channels-last, on either engine. */
    static void image(ConvPlan plan, float[] x, boolean channelsLast, int n, int count, float[] z, boolean parallel) {
        if (plan instanceof ChannelsLastConv.Plan p) ChannelsLastConv.image(p, x, channelsLast, n, count, z, parallel);
        else if (plan instanceof WinogradConv wc) wc.image(x, channelsLast, n, count, z, parallel);
        else if (!channelsLast) plan.image(x, n, count, z, parallel);
        else throw new IllegalArgumentException("no channels-last input for " + plan.getClass().getSimpleName());
    }

    private static float[] buffer(int size) {
        float[][] h = IMAGE.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }
}
