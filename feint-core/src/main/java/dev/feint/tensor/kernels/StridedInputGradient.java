package dev.feint.tensor.kernels;

/**
 * The input gradient of a strided convolution as stride-1 convolutions, one per input phase, on
 * {@link ChannelsLastConv} instead of GEMM + col2im. With stride s, input row iy receives only
 * from kernel rows ky = (iy + padTop) mod s + s * j: the rows of one phase r = (iy + padTop) mod s
 * form a stride-1 correlation of the output gradient with the sub-kernel w[r + s * j] (flipped,
 * channel axes swapped), written to every s-th input row. A 3x3 stride-2 kernel splits into 2x2,
 * 2x1, 1x2 and 1x1 phases, a 1x1 stride-2 one into a 1x1 phase (the other input pixels get no
 * gradient). The GEMM path ran the small late maps of a ResNet (4x4 to 1x1 outputs) one image at a
 * time with 16-column panels for 1-16 real columns; the phase plans take as many images per call
 * as fill the micro-kernel.
 *
 * <p>Applies with unit dilation, one group, 16+ input channels (the phases' output channels: fewer
 * fill too few lanes) and phase paddings that are not negative (true for the usual
 * {@code pad <= k - 1} paddings). Every input-gradient element is one phase's dot product in a
 * fixed order, so results do not depend on the thread count.
 *
 * <pre>{@code StridedInputGradient.Phases p = StridedInputGradient.plan(g, w);   // null: not applicable
 * StridedInputGradient.backwardInput(p, g, gradOut, null, gradX);}</pre>
 */
final class StridedInputGradient {
    private static final ThreadLocal<float[][]> GRADS = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> ONE = ThreadLocal.withInitial(() -> new float[1][0]);

    private StridedInputGradient() {}

    /** One phase: its plan over the output gradient and where its output pixels land in gradX. */
    record Phase(ConvPlan plan, int rowStart, int colStart, int rows, int cols) {}

    /** The phases of one geometry (batch size of the plans: g's), null entries for empty phases. */
    record Phases(ConvGeometry g, Phase[] phases, int imagesPerCall) {}

    /** Whether g's input gradient runs here (see the class comment). */
    static boolean applies(ConvGeometry g) {
        if (g.groups() != 1 || g.dilH() != 1 || g.dilW() != 1 || (g.strideH() == 1 && g.strideW() == 1) || g.c() < 16) return false;
        for (int ry = 0; ry < g.strideH(); ry++)
            if (axis(g.h(), g.outH(), g.kh(), g.strideH(), g.padTop(), ry) == null) return false;
        for (int rx = 0; rx < g.strideW(); rx++)
            if (axis(g.w(), g.outW(), g.kw(), g.strideW(), g.padLeft(), rx) == null) return false;
        return true;
    }

    /**
     * One axis of phase r: {taps, first input index, count, pad before, pad after}; taps or count 0
     * for an empty phase; null when the stride-1 form would need a negative padding.
     */
    static int[] axis(int size, int outSize, int k, int s, int pad, int r) {
        int taps = r < k ? (k - r + s - 1) / s : 0;
        // Input i = q * s + r - pad for q in [q0, q1], 0 <= i < size.
        int q0 = Math.floorDiv(pad - r + s - 1, s), q1 = Math.floorDiv(size - 1 + pad - r, s), count = Math.max(0, q1 - q0 + 1);
        if (taps == 0 || count == 0) return new int[] {0, 0, 0, 0, 0};
        // Output u reads gradient q0 + u - (taps - 1) + t: padded by taps - 1 - q0 before, the rest after.
        int before = taps - 1 - q0, after = count + taps - 1 - outSize - before;
        if (before < 0 || after < 0) return null;
        return new int[] {taps, q0 * s + r - pad, count, before, after};
    }

    /** The phase plans for g with weights w (o x c x kh x kw), or null where {@link #applies} says no. */
    static Phases plan(ConvGeometry g, float[] w) {
        if (!applies(g)) return null;
        int sy = g.strideH(), sx = g.strideW(), o = g.o(), c = g.c(), kh = g.kh(), kw = g.kw();
        Phase[] phases = new Phase[sy * sx];
        int per = Integer.MAX_VALUE;
        for (int ry = 0; ry < sy; ry++)
            for (int rx = 0; rx < sx; rx++) {
                int[] ay = axis(g.h(), g.outH(), kh, sy, g.padTop(), ry), ax = axis(g.w(), g.outW(), kw, sx, g.padLeft(), rx);
                int ty = ay[0], tx = ax[0];
                if (ty == 0 || tx == 0) continue;
                ConvGeometry t = new ConvGeometry(g.n(), o, g.outH(), g.outW(), c, ty, tx, 1, 1, ay[3], ax[3], ay[4], ax[4], 1, 1, 1);
                // Sub-kernel tap (u, v) is w[ry + sy * (ty - 1 - u)][rx + sx * (tx - 1 - v)], channels swapped.
                float[] sub = new float[c * o * ty * tx];
                for (int ch = 0; ch < c; ch++)
                    for (int oc = 0; oc < o; oc++)
                        for (int u = 0; u < ty; u++)
                            for (int v = 0; v < tx; v++)
                                sub[((ch * o + oc) * ty + u) * tx + v] = w[((oc * c + ch) * kh + ry + sy * (ty - 1 - u)) * kw + rx + sx * (tx - 1 - v)];
                ConvPlan plan = ConvPlan.of(t, sub, null);
                phases[ry * sx + rx] = new Phase(plan, ay[1], ax[1], ay[2], ax[2]);
                per = Math.min(per, plan.images());
            }
        return new Phases(g, phases, per == Integer.MAX_VALUE ? 1 : per);
    }

    /**
     * gradX += the input gradient of g for gradOut, given whole ({@code full}, NCHW) or image by
     * image ({@code each}); p from {@link #plan} for g up to the batch size.
     */
    static void backwardInput(Phases p, ConvGeometry g, float[] full, Conv2dKernels.OutputGrad each, float[] gradX) {
        backwardInput(p, g, full, each, false, gradX, false);
    }

    /**
     * As {@link #backwardInput(Phases, ConvGeometry, float[], Conv2dKernels.OutputGrad, float[])},
     * the output gradient (given whole) channels-last [n][outH][outW][o] and gradX channels-last
     * [n][h][w][c] or NCHW.
     */
    static void backwardInputChannelsLast(Phases p, ConvGeometry g, float[] gz, float[] gradX, boolean gradXChannelsLast) {
        backwardInput(p, g, gz, null, true, gradX, gradXChannelsLast);
    }

    private static void backwardInput(Phases p, ConvGeometry g, float[] full, Conv2dKernels.OutputGrad each, boolean fullChannelsLast,
                                      float[] gradX, boolean gradXChannelsLast) {
        if (!p.g.withBatch(g.n()).equals(g)) throw new IllegalArgumentException("phases prepared for " + p.g + ", called with " + g);
        int n = g.n(), o = g.o(), ohw = g.outH() * g.outW(), chw = g.c() * g.h() * g.w();
        if (n == 0) return;
        int threads = dev.feint.tensor.Parallel.threads();
        int per = Math.max(1, Math.min(p.imagesPerCall, (n + threads - 1) / threads)), calls = (n + per - 1) / per;
        Conv2dKernels.forEach(calls, (call, par) -> {
            int first = call * per, count = Math.min(per, n - first);
            float[] go = full;
            int at = first;
            if (full == null) {
                go = buffer(GRADS, count * o * ohw);
                float[] one = buffer(ONE, o * ohw);
                for (int j = 0; j < count; j++) {
                    each.image(first + j, one);
                    System.arraycopy(one, 0, go, j * o * ohw, o * ohw);
                }
                at = 0;
            }
            for (Phase ph : p.phases) {
                if (ph == null) continue;
                float[] z = ChannelsLastConv.z(ph.plan);
                ChannelsLastInputGradient.image(ph.plan, go, fullChannelsLast, at, count, z, par);
                for (int j = 0; j < count; j++) {
                    int zOff = j * ph.rows * ph.cols * ph.plan.oPad();
                    if (gradXChannelsLast) scatterAddChannelsLast(ph, g, z, zOff, gradX, (first + j) * chw);
                    else scatterAdd(ph, g, z, zOff, gradX, (first + j) * chw);
                }
            }
        });
    }

    /** gradX[outOff + ch][rowStart + u * sy][colStart + v * sx] += z[zOff + (u * cols + v)][ch]. */
    private static void scatterAdd(Phase ph, ConvGeometry g, float[] z, int zOff, float[] gradX, int outOff) {
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w, sy = g.strideH(), sx = g.strideW(), ld = ph.plan.oPad();
        // Channels in blocks of one cache line of z (channel by channel read one float per line of z).
        // Small planes pixel by pixel across the block; planes of 256 pixels or more a phase row per
        // channel, as ChannelsLastConv.addToPlanes: there the block's planes are 1 KB or more apart
        // (4 KB, all in one L1 set, at 32 x 32), and one pixel's stores across them missed L1.
        for (int c0 = 0; c0 < c; c0 += 16) {
            int c1 = Math.min(c, c0 + 16);
            for (int u = 0, src = zOff; u < ph.rows; u++, src += ph.cols * ld) {
                int dst = outOff + c0 * hw + (ph.rowStart + u * sy) * w + ph.colStart;
                if (hw < 256)
                    for (int v = 0, s = src; v < ph.cols; v++, s += ld, dst += sx)
                        for (int ch = c0, d = dst; ch < c1; ch++, d += hw) gradX[d] += z[s + ch];
                else
                    for (int ch = c0; ch < c1; ch++, dst += hw)
                        for (int v = 0, s = src + ch, d = dst; v < ph.cols; v++, s += ld, d += sx) gradX[d] += z[s];
            }
        }
    }

    /** gradX[outOff + ((rowStart + u * sy) * w + colStart + v * sx) * c + ch] += z[zOff + (u * cols + v)][ch]: channels-last. */
    private static void scatterAddChannelsLast(Phase ph, ConvGeometry g, float[] z, int zOff, float[] gradX, int outOff) {
        int c = g.c(), w = g.w(), sy = g.strideH(), sx = g.strideW(), ld = ph.plan.oPad();
        for (int u = 0, src = zOff; u < ph.rows; u++)
            for (int v = 0; v < ph.cols; v++, src += ld)
                Layouts.addRows(z, src, ld, 1, c, gradX, outOff + ((ph.rowStart + u * sy) * w + ph.colStart + v * sx) * c);
    }

    private static float[] buffer(ThreadLocal<float[][]> tl, int size) {
        float[][] holder = tl.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }
}
