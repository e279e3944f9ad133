package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inference forward of a convolution from and to channels-last activations: the input NCHW or
 * [n][h][w][c], the output [n][outH][outW][o] clamped to [lo, hi] in the same pass that stores it
 * (ReLU is lo 0, ReLU6 lo 0 hi 6, none is -inf, +inf). Between two convolutions the activation
 * then needs no transpose: an unpadded convolution (a 1x1) reads it where it is, a padded one
 * copies whole pixel rows into its padded buffer. Same sums in the same order as
 * {@link Conv2dKernels#forward}, so the same values; the clamp as {@code v < lo ? lo : v > hi ? hi : v}.
 *
 * <pre>{@code if (ChannelsLastForward.applies(g)) ChannelsLastForward.forward(g, x, false, w, bias, 0f, 6f, out, null);}</pre>
 */
public final class ChannelsLastForward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private ChannelsLastForward() {}

    /**
     * Whether g runs here: one group, or a depthwise convolution on its channel-vector kernel.
     *
     * @param g the geometry
     * @return whether {@link #forward} runs g
     */
    public static boolean applies(ConvGeometry g) { return g.groups() == 1 || DepthwiseConv.applies(g); }

    /**
     * out[n][y][x][oc] = clamp(bias[oc] + conv(x)[n][oc][y][x], lo, hi); x NCHW, or [n][h][w][c]
     * with {@code channelsLast}; w prepared once by {@link PreparedConv#forward} (nullable).
     *
     * @param g the geometry
     * @param x the input, NCHW or (with channelsLast) [n][h][w][c]
     * @param channelsLast whether x is held [n][h][w][c] instead of NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param lo the clamp's lower bound (-inf for none)
     * @param hi the clamp's upper bound (+inf for none)
     * @param out the output, [n][outH][outW][o], overwritten
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     */
    public static void forward(ConvGeometry g, float[] x, boolean channelsLast, float[] w, float[] bias, float lo, float hi,
                               float[] out, PreparedConv prepared) {
        forward(g, x, channelsLast, w, bias, lo, hi, out, prepared, true);
    }

    /**
     * As {@link #forward(ConvGeometry, float[], boolean, float[], float[], float, float, float[], PreparedConv)};
     * a recorded call ({@code inference} false) with unprepared weights takes the engine
     * {@link Conv2dKernels#forward} would ({@link ConvPlan#unprepared}).
     *
     * @param g the geometry
     * @param x the input, NCHW or (with channelsLast) [n][h][w][c]
     * @param channelsLast whether x is held [n][h][w][c] instead of NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param lo the clamp's lower bound (-inf for none)
     * @param hi the clamp's upper bound (+inf for none)
     * @param out the output, [n][outH][outW][o], overwritten
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     * @param inference whether no gradient is recorded
     */
    public static void forward(ConvGeometry g, float[] x, boolean channelsLast, float[] w, float[] bias, float lo, float hi,
                               float[] out, PreparedConv prepared, boolean inference) {
        Conv2dKernels.checkSizes(g, x, "x", Conv2dKernels.inputSize(g), w, out, "out", Conv2dKernels.outputSize(g));
        if (bias != null && bias.length < g.o()) throw new IllegalArgumentException("bias length " + bias.length + " < " + g.o());
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp needs lo <= hi, got " + lo + " > " + hi);
        if (!applies(g)) throw new IllegalArgumentException("no channels-last kernel for " + g);
        if (g.groups() > 1) {
            DepthwiseConv.forwardChannelsLast(g, x, channelsLast, w, bias, lo, hi, out, prepared);
            return;
        }
        ConvPlan plan = PreparedConv.plan(prepared, g, w, bias, inference);
        int o = g.o(), pixels = plan.pixels(), ld = plan.oPad();
        ConvPlan.forEachCall(plan, g.n(), (n, count, par) -> {
            float[] z = ChannelsLastConv.z(plan);
            int rows = count * pixels, outOff = n * pixels * o;
            if (plan instanceof ChannelsLastConv.Plan p)
                ChannelsLastConv.image(p, x, channelsLast, n, count, z, par, (zc, c0, c1) -> store(zc, 0, ld, rows, out, outOff, o, c0, c1, lo, hi));
            else {
                ((WinogradConv) plan).image(x, channelsLast, n, count, z, par);
                store(z, 0, ld, rows, out, outOff, o, 0, o, lo, hi);
            }
        });
    }

    /**
     * out[outOff + p * o + ch] = clamp(z[zOff + p * ld + ch]) for pixel rows p in [0, rows) and
     * channels [c0, c1).
     */
    static void store(float[] z, int zOff, int ld, int rows, float[] out, int outOff, int o, int c0, int c1, float lo, float hi) {
        boolean clampLo = lo != Float.NEGATIVE_INFINITY, clampHi = hi != Float.POSITIVE_INFINITY;
        FloatVector vlo = FloatVector.broadcast(S, lo), vhi = FloatVector.broadcast(S, hi);
        int bound = c0 + (c1 - c0) / VL * VL;
        VectorMask<Float> tail = S.indexInRange(bound, c1);
        for (int p = 0; p < rows; p++) {
            int src = zOff + p * ld, dst = outOff + p * o;
            for (int ch = c0; ch < c1; ch += VL) {
                boolean whole = ch < bound;
                if (!whole && (dst + ch + VL > out.length || src + ch + VL > z.length)) {
                    // The tail at an array's end: a masked access there takes the Vector API's slow
                    // lane-by-lane index check (6% of a batch-one MobileNet forward), so plain floats.
                    for (int k = ch; k < c1; k++) {
                        float f = z[src + k];
                        out[dst + k] = f < lo ? lo : f > hi ? hi : f;
                    }
                    break;
                }
                FloatVector v = whole ? FloatVector.fromArray(S, z, src + ch) : FloatVector.fromArray(S, z, src + ch, tail);
                if (clampLo) v = v.blend(vlo, v.compare(VectorOperators.LT, vlo));
                if (clampHi) v = v.blend(vhi, v.compare(VectorOperators.GT, vhi));
                if (whole) v.intoArray(out, dst + ch);
                else v.intoArray(out, dst + ch, tail);
            }
        }
    }
}
