package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (groups == c, o = m * c: output channel oc reads input channel oc / m)
 * with vectors over channels: each image is copied into a zero-padded channels-last buffer
 * in[y][x][oc] (input channel oc / m repeated for the m outputs it feeds), where every tap of
 * every output pixel is one contiguous run of channels. So any kernel size, stride, dilation and
 * padding runs with whole vectors, and the narrow late layers of a MobileNet (4x4 or 2x2 pixels,
 * hundreds of channels) fill the lanes as well as the wide early ones. One group per channel
 * would leave {@link GroupedConv}'s GEMMs a single row.
 *
 * <p>Every output and every input-gradient element is a sum in a fixed order (taps in order;
 * output pixels in order), and the weight gradient sums per-image products into a fixed number
 * of partials added in order, so results do not depend on the thread count. Forward and input
 * gradient spread whole images over the threads; a batch too small for that splits each image's
 * channels instead.
 */
final class DepthwiseConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Fixed number of weight-gradient partial sums (as {@link Conv2dKernels}'s). */
    private static final int WEIGHT_GROUPS = 8;

    private static final ThreadLocal<float[][]> IN = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> Z = ThreadLocal.withInitial(() -> new float[1][0]);

    private DepthwiseConv() {}

    private static volatile boolean enabled = true;

    static void setEnabled(boolean on) { enabled = on; }

    /** Whether a channels-last 3x3 forward reads its input in place ({@link DepthwiseInPlace}); tests run both paths. */
    private static volatile boolean inPlace = !"false".equals(System.getProperty("feint.depthwiseInPlace"));

    static void setInPlace(boolean on) { inPlace = on; }

    static boolean applies(ConvGeometry g) { return enabled && g.depthwise(); }

    /** The geometry-derived offsets and the weights packed [tap][oPad] for one call. */
    static final class Plan {
        final ConvGeometry g;
        final int m, oPad, blocks, taps, hp, wp, pixels;
        final int[] tapOffset, pixelBase;
        final float[] packed;

        Plan(ConvGeometry g, float[] w) {
            this.g = g;
            int o = g.o();
            m = o / g.c();
            blocks = (o + VL - 1) / VL;
            oPad = blocks * VL;
            taps = g.kh() * g.kw();
            hp = g.paddedH();
            wp = g.paddedW();
            pixels = g.outH() * g.outW();
            tapOffset = new int[taps];
            for (int t = 0; t < taps; t++) tapOffset[t] = ((t / g.kw()) * g.dilH() * wp + (t % g.kw()) * g.dilW()) * oPad;
            pixelBase = new int[pixels];
            for (int p = 0; p < pixels; p++)
                pixelBase[p] = ((p / g.outW()) * g.strideH() * wp + (p % g.outW()) * g.strideW()) * oPad;
            packed = new float[taps * oPad];
            if (w != null)
                for (int oc = 0; oc < o; oc++)
                    for (int t = 0; t < taps; t++) packed[t * oPad + oc] = w[oc * taps + t];
        }

        int inSize() { return hp * wp * oPad; }

        int zSize() { return pixels * oPad; }

        /** in[(y + padTop) * wp + x + padLeft][oc] = x[n][oc / m][y][x] for the channels of blocks [b0, b1). */
        void fill(float[] x, int n, float[] in, int b0, int b1) {
            int c = g.c(), h = g.h(), w = g.w(), hw = h * w, oc1 = Math.min(g.o(), b1 * VL);
            if (m == 1) {                          // MobileNet's case: plane by plane, no division per element
                for (int oc = b0 * VL; oc < oc1; oc++)
                    for (int y = 0, src = (n * c + oc) * hw; y < h; y++)
                        for (int xx = 0, dst = ((y + g.padTop()) * wp + g.padLeft()) * oPad + oc; xx < w; xx++, src++, dst += oPad) in[dst] = x[src];
                return;
            }
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    int dst = ((y + g.padTop()) * wp + xx + g.padLeft()) * oPad, src = n * c * hw + y * w + xx;
                    for (int oc = b0 * VL; oc < oc1; oc++) in[dst + oc] = x[src + oc / m * hw];
                }
        }

        /** As {@link #fill} from channels-last x [n][h][w][c]. */
        void fillChannelsLast(float[] x, int n, float[] in, int b0, int b1) {
            int c = g.c(), h = g.h(), w = g.w(), oc0 = b0 * VL, oc1 = Math.min(g.o(), b1 * VL);
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    int dst = ((y + g.padTop()) * wp + xx + g.padLeft()) * oPad, src = ((n * h + y) * w + xx) * c;
                    if (m == 1) System.arraycopy(x, src + oc0, in, dst + oc0, oc1 - oc0);
                    else for (int oc = oc0; oc < oc1; oc++) in[dst + oc] = x[src + oc / m];
                }
        }
    }

    /** body(from, to) over [0, count), split over the worker threads when asked and worth it. */
    private static void split(boolean parallel, int count, java.util.function.IntBinaryOperator body) {
        split(parallel, count, 1, body);
    }

    /** As {@link #split(boolean, int, java.util.function.IntBinaryOperator)}, at least {@code grain} items per thread. */
    private static void split(boolean parallel, int count, int grain, java.util.function.IntBinaryOperator body) {
        if (parallel && Parallel.chunks(count, grain) > 1) Parallel.forRange(count, grain, (chunk, from, to) -> body.applyAsInt(from, to));
        else body.applyAsInt(0, count);
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out) {
        Plan plan = new Plan(g, w);
        float[] b = new float[plan.oPad];
        if (bias != null) System.arraycopy(bias, 0, b, 0, g.o());
        int o = g.o(), pixels = plan.pixels, oPad = plan.oPad;
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            float[] in = buffer(IN, plan.inSize()), z = buffer(Z, plan.zSize());
            ChannelsLastConv.zeroBorder(in, 0, g.padTop(), g.padLeft(), g.h(), g.w(), plan.hp, plan.wp, oPad);
            split(par, plan.blocks, (b0, b1) -> {
                plan.fill(x, n, in, b0, b1);
                forwardBlocks(plan, in, b, z, b0, b1);
                for (int oc = b0 * VL, end = Math.min(o, b1 * VL); oc < end; oc++)
                    for (int p = 0, dst = (n * o + oc) * pixels; p < pixels; p++) out[dst + p] = z[p * oPad + oc];
                return 0;
            });
        });
    }

    /**
     * As {@link #forward} into channels-last out [n][outH][outW][o] clamped to [lo, hi] (see
     * {@link ChannelsLastForward}); x NCHW or, with {@code channelsLast}, [n][h][w][c].
     */
    static void forwardChannelsLast(ConvGeometry g, float[] x, boolean channelsLast, float[] w, float[] bias, float lo, float hi, float[] out,
                                    PreparedConv prepared) {
        Plan plan = prepared != null && prepared.depthwise != null && prepared.fits(g) ? prepared.depthwise : new Plan(g, w);
        float[] b = new float[plan.oPad];
        if (bias != null) System.arraycopy(bias, 0, b, 0, g.o());
        int o = g.o(), pixels = plan.pixels, oPad = plan.oPad;
        if (channelsLast && inPlace && DepthwiseInPlace.applies(g)) {
            Conv2dKernels.forEach(g.n(), (n, par) -> split(par, plan.blocks, Parallel.grain((long) pixels * plan.taps * VL), (b0, b1) -> {
                DepthwiseInPlace.forward(g, x, n, plan.packed, oPad, b, lo, hi, out, b0, b1);
                return 0;
            }));
            return;
        }
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            float[] in = buffer(IN, plan.inSize()), z = buffer(Z, plan.zSize());
            ChannelsLastConv.zeroBorder(in, 0, g.padTop(), g.padLeft(), g.h(), g.w(), plan.hp, plan.wp, oPad);
            // A batch of one on a small map (MobileNet's 2x2 x 960) is less work than waking a worker.
            split(par, plan.blocks, Parallel.grain((long) pixels * plan.taps * VL), (b0, b1) -> {
                if (channelsLast) plan.fillChannelsLast(x, n, in, b0, b1);
                else plan.fill(x, n, in, b0, b1);
                forwardBlocks(plan, in, b, z, b0, b1);
                ChannelsLastForward.store(z, 0, oPad, pixels, out, n * pixels * o, o, b0 * VL, Math.min(o, b1 * VL), lo, hi);
                return 0;
            });
        });
    }

    /** z[p][channels of blocks b0..b1) = bias + sum over taps of in[pixel p's tap] * w[tap]. */
    private static void forwardBlocks(Plan plan, float[] in, float[] bias, float[] z, int b0, int b1) {
        int[] tapOffset = plan.tapOffset, pixelBase = plan.pixelBase;
        float[] wk = plan.packed;
        int oPad = plan.oPad, taps = plan.taps;
        if (taps == 9) {
            forward3x3(plan, in, bias, z, b0, b1);
            return;
        }
        for (int p = 0; p < plan.pixels; p++) {
            int base = pixelBase[p];
            for (int cb = b0 * VL, end = b1 * VL; cb < end; cb += VL) {
                FloatVector acc = FloatVector.fromArray(S, bias, cb);
                for (int t = 0; t < taps; t++)
                    acc = FloatVector.fromArray(S, in, base + tapOffset[t] + cb).fma(FloatVector.fromArray(S, wk, t * oPad + cb), acc);
                acc.intoArray(z, p * oPad + cb);
            }
        }
    }

    /**
     * {@link #forwardBlocks} for 9 taps (3x3, MobileNet's case) with a block's nine weight vectors
     * held in registers across the pixels: one load per multiply-add instead of two. Same sums
     * in the same order.
     */
    private static void forward3x3(Plan plan, float[] in, float[] bias, float[] z, int b0, int b1) {
        int[] t = plan.tapOffset, pixelBase = plan.pixelBase;
        float[] wk = plan.packed;
        int oPad = plan.oPad, t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7], t8 = t[8];
        for (int cb = b0 * VL, end = b1 * VL; cb < end; cb += VL) {
            FloatVector w0 = FloatVector.fromArray(S, wk, cb), w1 = FloatVector.fromArray(S, wk, oPad + cb);
            FloatVector w2 = FloatVector.fromArray(S, wk, 2 * oPad + cb), w3 = FloatVector.fromArray(S, wk, 3 * oPad + cb);
            FloatVector w4 = FloatVector.fromArray(S, wk, 4 * oPad + cb), w5 = FloatVector.fromArray(S, wk, 5 * oPad + cb);
            FloatVector w6 = FloatVector.fromArray(S, wk, 6 * oPad + cb), w7 = FloatVector.fromArray(S, wk, 7 * oPad + cb);
            FloatVector w8 = FloatVector.fromArray(S, wk, 8 * oPad + cb), b = FloatVector.fromArray(S, bias, cb);
            for (int p = 0; p < plan.pixels; p++) {
                int i = pixelBase[p] + cb;
                FloatVector acc = FloatVector.fromArray(S, in, i + t0).fma(w0, b);
                acc = FloatVector.fromArray(S, in, i + t1).fma(w1, acc);
                acc = FloatVector.fromArray(S, in, i + t2).fma(w2, acc);
                acc = FloatVector.fromArray(S, in, i + t3).fma(w3, acc);
                acc = FloatVector.fromArray(S, in, i + t4).fma(w4, acc);
                acc = FloatVector.fromArray(S, in, i + t5).fma(w5, acc);
                acc = FloatVector.fromArray(S, in, i + t6).fma(w6, acc);
                acc = FloatVector.fromArray(S, in, i + t7).fma(w7, acc);
                acc = FloatVector.fromArray(S, in, i + t8).fma(w8, acc);
                acc.intoArray(z, p * oPad + cb);
            }
        }
    }

    /** gradX += conv-transpose of gradOut with w. */
    static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX) {
        Plan plan = new Plan(g, w);
        int o = g.o(), c = g.c(), m = plan.m, pixels = plan.pixels, oPad = plan.oPad, h = g.h(), wd = g.w(), hw = h * wd;
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            float[] gin = buffer(IN, plan.inSize()), gz = buffer(Z, plan.zSize());
            Arrays.fill(gin, 0, plan.inSize(), 0f);
            split(par, plan.blocks, (b0, b1) -> {
                for (int oc = b0 * VL, end = Math.min(o, b1 * VL); oc < end; oc++)
                    for (int p = 0, src = (n * o + oc) * pixels; p < pixels; p++) gz[p * oPad + oc] = gradOut[src + p];
                inputGradBlocks(plan, gz, gin, b0, b1);
                return 0;
            });
            // Back to NCHW, the m outputs of each input channel summed in order (after all blocks: they may span two).
            // Pixel by pixel: gin is read along its rows (a channel-major walk re-read each cache line per channel).
            split(par, h, (y0, y1) -> {
                for (int y = y0; y < y1; y++)
                    for (int xx = 0; xx < wd; xx++) {
                        int src = ((y + g.padTop()) * plan.wp + xx + g.padLeft()) * oPad, dst = n * c * hw + y * wd + xx;
                        if (m == 1) for (int ch = 0; ch < c; ch++) gradX[dst + ch * hw] += gin[src + ch];
                        else
                            for (int ch = 0; ch < c; ch++) {
                                float s = 0f;
                                for (int k = 0; k < m; k++) s += gin[src + ch * m + k];
                                gradX[dst + ch * hw] += s;
                            }
                    }
                return 0;
            });
        });
    }

    /**
     * As {@link #backwardInput} from gradOut held channels-last [n][outH][outW][o] into gradX held
     * channels-last [n][h][w][c] (or NCHW): the gradient rows are copied as they are, and the
     * padded result goes back row by row; the same sums in the same order. {@code prepared} is
     * the forward's plan (the same packed taps), or null.
     */
    static void backwardInputChannelsLast(ConvGeometry g, float[] gradOut, float[] w, float[] gradX, boolean gradXChannelsLast, Plan prepared) {
        Plan plan = prepared != null ? prepared : new Plan(g, w);
        int o = g.o(), c = g.c(), m = plan.m, pixels = plan.pixels, oPad = plan.oPad, h = g.h(), wd = g.w(), hw = h * wd;
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            float[] gin = buffer(IN, plan.inSize()), gz = buffer(Z, plan.zSize());
            Arrays.fill(gin, 0, plan.inSize(), 0f);
            split(par, plan.blocks, Parallel.grain((long) pixels * plan.taps * VL), (b0, b1) -> {
                int oc0 = b0 * VL, len = Math.min(o, b1 * VL) - oc0;
                for (int p = 0, src = n * pixels * o + oc0; p < pixels; p++, src += o) System.arraycopy(gradOut, src, gz, p * oPad + oc0, len);
                inputGradBlocks(plan, gz, gin, b0, b1);
                return 0;
            });
            split(par, h, (y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    int src = ((y + g.padTop()) * plan.wp + g.padLeft()) * oPad;
                    if (gradXChannelsLast && m == 1) {
                        Layouts.addRows(gin, src, oPad, wd, c, gradX, (n * hw + y * wd) * c);
                        continue;
                    }
                    for (int xx = 0; xx < wd; xx++, src += oPad) {
                        int dst = gradXChannelsLast ? (n * hw + y * wd + xx) * c : n * c * hw + y * wd + xx, step = gradXChannelsLast ? 1 : hw;
                        for (int ch = 0; ch < c; ch++) {
                            float s = 0f;
                            for (int k = 0; k < m; k++) s += gin[src + ch * m + k];
                            gradX[dst + ch * step] += s;
                        }
                    }
                }
                return 0;
            });
        });
    }

    /** gin[pixel p's tap][channels] += gz[p] * w[tap], pixels and taps in order. */
    private static void inputGradBlocks(Plan plan, float[] gz, float[] gin, int b0, int b1) {
        int[] tapOffset = plan.tapOffset, pixelBase = plan.pixelBase;
        float[] wk = plan.packed;
        int oPad = plan.oPad, taps = plan.taps;
        if (taps == 9) {
            inputGrad3x3(plan, gz, gin, b0, b1);
            return;
        }
        for (int p = 0; p < plan.pixels; p++) {
            int base = pixelBase[p];
            for (int cb = b0 * VL, end = b1 * VL; cb < end; cb += VL) {
                FloatVector gv = FloatVector.fromArray(S, gz, p * oPad + cb);
                for (int t = 0; t < taps; t++) {
                    int i = base + tapOffset[t] + cb;
                    gv.fma(FloatVector.fromArray(S, wk, t * oPad + cb), FloatVector.fromArray(S, gin, i)).intoArray(gin, i);
                }
            }
        }
    }

    /** {@link #inputGradBlocks} for 9 taps with the block's weights in registers (the same sums in the same order). */
    private static void inputGrad3x3(Plan plan, float[] gz, float[] gin, int b0, int b1) {
        int[] t = plan.tapOffset, pixelBase = plan.pixelBase;
        float[] wk = plan.packed;
        int oPad = plan.oPad;
        for (int cb = b0 * VL, end = b1 * VL; cb < end; cb += VL) {
            FloatVector w0 = FloatVector.fromArray(S, wk, cb), w1 = FloatVector.fromArray(S, wk, oPad + cb);
            FloatVector w2 = FloatVector.fromArray(S, wk, 2 * oPad + cb), w3 = FloatVector.fromArray(S, wk, 3 * oPad + cb);
            FloatVector w4 = FloatVector.fromArray(S, wk, 4 * oPad + cb), w5 = FloatVector.fromArray(S, wk, 5 * oPad + cb);
            FloatVector w6 = FloatVector.fromArray(S, wk, 6 * oPad + cb), w7 = FloatVector.fromArray(S, wk, 7 * oPad + cb);
            FloatVector w8 = FloatVector.fromArray(S, wk, 8 * oPad + cb);
            for (int p = 0; p < plan.pixels; p++) {
                int i = pixelBase[p] + cb;
                FloatVector gv = FloatVector.fromArray(S, gz, p * oPad + cb);
                gv.fma(w0, FloatVector.fromArray(S, gin, i + t[0])).intoArray(gin, i + t[0]);
                gv.fma(w1, FloatVector.fromArray(S, gin, i + t[1])).intoArray(gin, i + t[1]);
                gv.fma(w2, FloatVector.fromArray(S, gin, i + t[2])).intoArray(gin, i + t[2]);
                gv.fma(w3, FloatVector.fromArray(S, gin, i + t[3])).intoArray(gin, i + t[3]);
                gv.fma(w4, FloatVector.fromArray(S, gin, i + t[4])).intoArray(gin, i + t[4]);
                gv.fma(w5, FloatVector.fromArray(S, gin, i + t[5])).intoArray(gin, i + t[5]);
                gv.fma(w6, FloatVector.fromArray(S, gin, i + t[6])).intoArray(gin, i + t[6]);
                gv.fma(w7, FloatVector.fromArray(S, gin, i + t[7])).intoArray(gin, i + t[7]);
                gv.fma(w8, FloatVector.fromArray(S, gin, i + t[8])).intoArray(gin, i + t[8]);
            }
        }
    }

    /** gradW += correlation of x with gradOut; gradBias (nullable) += sum of gradOut. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW, float[] gradBias) {
        int nImg = g.n();
        if (nImg == 0) return;
        Plan plan = new Plan(g, null);
        int o = g.o(), pixels = plan.pixels, oPad = plan.oPad, taps = plan.taps;
        int groups = Math.min(nImg, WEIGHT_GROUPS), stride = (taps + 1) * oPad;   // partial: [tap][oPad] then bias[oPad]
        float[] partials = new float[groups * stride];
        Conv2dKernels.forEach(groups, (grp, par) -> {
            float[] in = buffer(IN, plan.inSize()), gz = buffer(Z, plan.zSize());
            for (int n = nImg * grp / groups, end = nImg * (grp + 1) / groups; n < end; n++) {
                Arrays.fill(in, 0, plan.inSize(), 0f);
                plan.fill(x, n, in, 0, plan.blocks);
                for (int oc = 0; oc < o; oc++)
                    for (int p = 0, src = (n * o + oc) * pixels; p < pixels; p++) gz[p * oPad + oc] = gradOut[src + p];
                weightGradImage(plan, in, gz, partials, grp * stride);
            }
        });
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < taps; t++) {
                float s = partials[t * oPad + oc];
                for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + t * oPad + oc];
                gradW[oc * taps + t] += s;
            }
            if (gradBias != null) {
                float s = partials[taps * oPad + oc];
                for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + taps * oPad + oc];
                gradBias[oc] += s;
            }
        }
    }

    /** partial[tap][channels] += sum over pixels of in[pixel's tap] * gz[pixel]; partial[taps] += sum of gz. */
    private static void weightGradImage(Plan plan, float[] in, float[] gz, float[] partial, int off) {
        int[] tapOffset = plan.tapOffset, pixelBase = plan.pixelBase;
        int oPad = plan.oPad, taps = plan.taps, pixels = plan.pixels;
        if (taps == 9) {
            weightGrad3x3(plan, in, gz, partial, off);
            return;
        }
        for (int cb = 0; cb < oPad; cb += VL) {
            for (int t = 0; t < taps; t++) {
                FloatVector acc = FloatVector.zero(S);
                int to = tapOffset[t] + cb;
                for (int p = 0; p < pixels; p++)
                    acc = FloatVector.fromArray(S, in, pixelBase[p] + to).fma(FloatVector.fromArray(S, gz, p * oPad + cb), acc);
                int dst = off + t * oPad + cb;
                acc.add(FloatVector.fromArray(S, partial, dst)).intoArray(partial, dst);
            }
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0; p < pixels; p++) acc = acc.add(FloatVector.fromArray(S, gz, p * oPad + cb));
            int dst = off + taps * oPad + cb;
            acc.add(FloatVector.fromArray(S, partial, dst)).intoArray(partial, dst);
        }
    }

    /** {@link #weightGradImage} for 9 taps: nine accumulators over the pixels, each input gradient vector loaded once. */
    private static void weightGrad3x3(Plan plan, float[] in, float[] gz, float[] partial, int off) {
        int[] t = plan.tapOffset, pixelBase = plan.pixelBase;
        int oPad = plan.oPad, pixels = plan.pixels;
        int t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7], t8 = t[8];
        for (int cb = 0; cb < oPad; cb += VL) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, sum = a0;
            for (int p = 0; p < pixels; p++) {
                int i = pixelBase[p] + cb;
                FloatVector gv = FloatVector.fromArray(S, gz, p * oPad + cb);
                a0 = FloatVector.fromArray(S, in, i + t0).fma(gv, a0);
                a1 = FloatVector.fromArray(S, in, i + t1).fma(gv, a1);
                a2 = FloatVector.fromArray(S, in, i + t2).fma(gv, a2);
                a3 = FloatVector.fromArray(S, in, i + t3).fma(gv, a3);
                a4 = FloatVector.fromArray(S, in, i + t4).fma(gv, a4);
                a5 = FloatVector.fromArray(S, in, i + t5).fma(gv, a5);
                a6 = FloatVector.fromArray(S, in, i + t6).fma(gv, a6);
                a7 = FloatVector.fromArray(S, in, i + t7).fma(gv, a7);
                a8 = FloatVector.fromArray(S, in, i + t8).fma(gv, a8);
                sum = sum.add(gv);
            }
            int d = off + cb;
            a0.add(FloatVector.fromArray(S, partial, d)).intoArray(partial, d);
            a1.add(FloatVector.fromArray(S, partial, d + oPad)).intoArray(partial, d + oPad);
            a2.add(FloatVector.fromArray(S, partial, d + 2 * oPad)).intoArray(partial, d + 2 * oPad);
            a3.add(FloatVector.fromArray(S, partial, d + 3 * oPad)).intoArray(partial, d + 3 * oPad);
            a4.add(FloatVector.fromArray(S, partial, d + 4 * oPad)).intoArray(partial, d + 4 * oPad);
            a5.add(FloatVector.fromArray(S, partial, d + 5 * oPad)).intoArray(partial, d + 5 * oPad);
            a6.add(FloatVector.fromArray(S, partial, d + 6 * oPad)).intoArray(partial, d + 6 * oPad);
            a7.add(FloatVector.fromArray(S, partial, d + 7 * oPad)).intoArray(partial, d + 7 * oPad);
            a8.add(FloatVector.fromArray(S, partial, d + 8 * oPad)).intoArray(partial, d + 8 * oPad);
            sum.add(FloatVector.fromArray(S, partial, d + 9 * oPad)).intoArray(partial, d + 9 * oPad);
        }
    }

    private static float[] buffer(ThreadLocal<float[][]> holder, int size) {
        float[][] h = holder.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }
}
