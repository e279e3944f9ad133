package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution + bias + ReLU (+ a non-overlapping max-pool) in one pass per image: the conv output
 * of an image lands in a per-thread buffer that stays in cache, and only the activated (and
 * pooled) result is written out. The unfused chain writes and re-reads the full-size conv output
 * twice, which cost more than the convolution itself for a first layer.
 *
 * <p>Results equal the unfused {@code relu(conv)} then {@code maxPool(k, stride k)} bit for bit:
 * relu commutes with max, and the window's first maximum is kept as the pooling kernel does.
 */
public final class ConvReluPool {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int VL = S.length();

    private ConvReluPool() {}

    /**
     * Pooled output height or width for a conv output of {@code size} and window {@code pool}.
     *
     * @param size the conv output's height or width
     * @param pool the max-pool window and stride, 1 for none
     * @return size / pool
     */
    public static int pooled(int size, int pool) { return size / pool; }

    /**
     * out = maxPool_pool(relu(conv(x, w) + bias)); pool 1 means no pooling. If arg is non-null it
     * receives (pool > 1 only), for each output, the flat index into the [n, o, outH, outW] conv output of the
     * window's maximum (what the backward pass routes the gradient to).
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param pool the max-pool window and stride, 1 for none
     * @param out the activated (and pooled) output, NCHW, overwritten
     * @param arg the flat conv-output index of each window's maximum, written (pool above 1), or null
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, int pool, float[] out, int[] arg) {
        forward(g, x, w, bias, pool, out, arg, null);
    }

    /**
     * As {@link #forward(ConvGeometry, float[], float[], float[], int, float[], int[])}, with w prepared once (nullable).
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param pool the max-pool window and stride, 1 for none
     * @param out the activated (and pooled) output, NCHW, overwritten
     * @param arg the flat conv-output index of each window's maximum, written (pool above 1), or null
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, int pool, float[] out, int[] arg, PreparedConv prepared) {
        if (pool < 1 || pool > Math.min(g.outH(), g.outW()))
            throw new IllegalArgumentException("pool window " + pool + " does not fit the conv output " + g.outH() + "x" + g.outW());
        int o = g.o(), oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        int ph = pooled(oh, pool), pw = pooled(ow, pool), phw = ph * pw;
        Conv2dKernels.checkSizes(g, x, "x", Conv2dKernels.inputSize(g), w, out, "out", (long) g.n() * o * phw);
        if (bias != null && bias.length < o) throw new IllegalArgumentException("bias length " + bias.length + " < " + o);
        if (arg != null && arg.length < (long) g.n() * o * phw) throw new IllegalArgumentException("arg length " + arg.length + " < " + (long) g.n() * o * phw);
        ConvPlan plan = PreparedConv.plan(prepared, g, w, bias, false);
        int rows = plan.pixels() * plan.oPad();
        ConvPlan.forEachCall(plan, g.n(), (n0, count, par) -> {
            float[] z = ChannelsLastConv.z(plan);
            plan.image(x, n0, count, z, par);
            for (int j = 0, n = n0; j < count; j++, n++) {
                if (pool == 1) ChannelsLastConv.toPlanes(plan, z, j * rows, out, n * o * ohw, true);
                else if (pool == 2) maxPool2Relu(plan, z, j * rows, out, n * o * phw, arg, n * o * ohw);
                else maxPoolRelu(plan, z, j * rows, pool, 0, out, n * o * phw, arg, n * o * ohw);
            }
        });
    }

    /**
     * The gradient with respect to the conv output (pre-activation), image by image, from the
     * gradient of the fused output: each positive output passes its gradient to its window's
     * maximum (arg null: no pooling, the output is the conv output's ReLU).
     *
     * @param g the geometry
     * @param out the fused forward's output
     * @param arg the window maxima the forward recorded, or null without pooling
     * @param gradOut the gradient of the fused output
     * @return the conv output's gradient, image by image
     */
    public static Conv2dKernels.OutputGrad outputGrad(ConvGeometry g, float[] out, int[] arg, float[] gradOut) {
        return new OutputGrad(g, out, arg, gradOut);
    }

    /**
     * The conv output's gradient from the fused output's, as NCHW planes per image or, for the
     * weight gradient's kernel, scattered straight into its channel panels (the same values).
     */
    private static final class OutputGrad implements Conv2dKernels.OutputGrad, ConvWeightGradient.Panels {
        private final float[] out, gradOut;
        private final int[] arg;
        private final int o, ohw, convImage, outImage;

        OutputGrad(ConvGeometry g, float[] out, int[] arg, float[] gradOut) {
            this.out = out;
            this.arg = arg;
            this.gradOut = gradOut;
            o = g.o();
            ohw = g.outH() * g.outW();
            convImage = o * ohw;
            outImage = arg == null ? convImage : out.length / Math.max(1, g.n());
        }

        @Override public void image(int n, float[] dst) {
            int o0 = n * outImage;
            if (arg == null) {
                for (int i = 0; i < convImage; i++) dst[i] = out[o0 + i] > 0f ? gradOut[o0 + i] : 0f;
            } else {
                java.util.Arrays.fill(dst, 0, convImage, 0f);
                for (int oc = 0; oc < o; oc++) routeChannel(out, arg, gradOut, n, oc, o, ohw, outImage, dst, oc * ohw, 1);
            }
        }

        @Override public void panels(int n, float[] dst, int off, int panelStride, int width) {
            int o0 = n * outImage, panels = (o + width - 1) / width;
            if (arg == null) {
                for (int oc = 0; oc < o; oc++)
                    for (int p = 0, s = o0 + oc * ohw, d = off + oc / width * panelStride + oc % width; p < ohw; p++, s++, d += width)
                        dst[d] = out[s] > 0f ? gradOut[s] : 0f;
                return;
            }
            // Zero the image's rows of every panel, then each window's gradient to its maximum
            // (0 + g, as the planes' zeroed array took it: the same bits).
            for (int k = 0; k < panels; k++) java.util.Arrays.fill(dst, off + k * panelStride, off + k * panelStride + ohw * width, 0f);
            for (int oc = 0; oc < o; oc++) routeChannel(out, arg, gradOut, n, oc, o, ohw, outImage, dst, off + oc / width * panelStride + oc % width, width);
        }
    }

    /**
     * Channel oc of image n: each positive pooled output's gradient written to its window's maximum,
     * pixel q of the conv plane at dst[dOff + q * stride], which the caller zeroed (each conv output
     * is in one window, so the value is {@code 0 + g}, as the planes' zeroed array took it). A channel
     * at a time, so no division per value (step43: 4.88 -> 4.13 ms of conv1's backward), and a vector
     * of pooled outputs at a time, the positive ones scattered under a mask: the scalar loop's
     * branch on {@code out > 0} goes either way about half the time, at random. madry-cnn's step at
     * batch 128 on one thread: 67.1 -> 63.9 ms (no change measured at two threads;
     * docs/runs/stepadj-2026-12-04/NOTES.md). The same values, the same bits.
     */
    private static void routeChannel(float[] out, int[] arg, float[] gradOut, int n, int oc, int o, int ohw, int outImage,
                                     float[] dst, int dOff, int stride) {
        int per = outImage / o, q0 = n * outImage + oc * per, plane = (n * o + oc) * ohw, q = q0, end = q0 + per;
        int[] at = ROUTE.get();
        FloatVector zero = FloatVector.zero(S);
        for (; q <= end - VL; q += VL) {
            VectorMask<Float> positive = FloatVector.fromArray(S, out, q).compare(VectorOperators.GT, zero);
            if (!positive.anyTrue()) continue;
            IntVector.fromArray(I, arg, q).sub(plane).mul(stride).intoArray(at, 0);
            zero.add(FloatVector.fromArray(S, gradOut, q)).intoArray(dst, dOff, at, 0, positive);
        }
        for (; q < end; q++)
            if (out[q] > 0f) dst[dOff + (arg[q] - plane) * stride] = 0f + gradOut[q];
    }

    /** Per-thread scatter offsets of one vector of pooled outputs (the Vector API scatters through an int[]). */
    private static final ThreadLocal<int[]> ROUTE = ThreadLocal.withInitial(() -> new int[VL]);

    /**
     * As {@link #outputGrad}, the whole batch at once and channels-last: dst[n][y][x][oc] (o * outH *
     * outW floats per image, overwritten), the images over the worker threads. The same values as
     * {@link #outputGrad}'s planes, bit for bit (a window routes its gradient to one conv output, so
     * the planes' {@code 0 + g} is written as it is); one expansion for both of a convolution's
     * gradients ({@link Conv2dKernels#sharesChannelsLastGradient}).
     *
     * @param g the geometry
     * @param out the fused forward's output
     * @param arg the window maxima the forward recorded, or null without pooling
     * @param gradOut the gradient of the fused output
     * @param dst the conv output's gradient, [n][outH][outW][o], overwritten
     */
    public static void outputGradChannelsLast(ConvGeometry g, float[] out, int[] arg, float[] gradOut, float[] dst) {
        int o = g.o(), ohw = g.outH() * g.outW(), convImage = o * ohw, outImage = arg == null ? convImage : out.length / Math.max(1, g.n());
        if (dst.length < (long) g.n() * convImage) throw new IllegalArgumentException("dst length " + dst.length + " < " + (long) g.n() * convImage);
        dev.feint.tensor.Parallel.forRange(g.n(), 1, (chunk, from, to) -> {
            for (int n = from; n < to; n++) {
                int o0 = n * outImage, d0 = n * convImage;
                if (arg == null) {
                    for (int oc = 0; oc < o; oc++)
                        for (int p = 0, s = o0 + oc * ohw; p < ohw; p++, s++) dst[d0 + p * o + oc] = out[s] > 0f ? gradOut[s] : 0f;
                    continue;
                }
                java.util.Arrays.fill(dst, d0, d0 + convImage, 0f);
                for (int oc = 0; oc < o; oc++) routeChannel(out, arg, gradOut, n, oc, o, ohw, outImage, dst, d0 + oc, o);
            }
        });
    }

    /**
     * Max over non-overlapping pool x pool windows of z[pixel][channel] for channels from oc0 on,
     * then ReLU, into NCHW planes.
     */
    private static void maxPoolRelu(ConvPlan plan, float[] z, int zOff, int pool, int oc0, float[] out, int outOff, int[] arg, int argBase) {
        ConvGeometry g = plan.g();
        int ow = g.outW(), ohw = plan.pixels(), ph = g.outH() / pool, pw = ow / pool, ld = plan.oPad();
        for (int oc = oc0; oc < g.o(); oc++) {
            int dst = outOff + oc * ph * pw;
            for (int i = 0; i < ph; i++)
                for (int j = 0; j < pw; j++, dst++) {
                    int best = i * pool * ow + j * pool;
                    for (int u = 0; u < pool; u++)
                        for (int v = 0, p = (i * pool + u) * ow + j * pool; v < pool; v++)
                            if (z[zOff + (p + v) * ld + oc] > z[zOff + best * ld + oc]) best = p + v;
                    float m = z[zOff + best * ld + oc];
                    out[dst] = m > 0f ? m : 0f;
                    if (arg != null) arg[dst] = argBase + oc * ohw + best;
                }
        }
    }

    /**
     * The 2x2 case on channel vectors: the four window pixels are contiguous loads, then a
     * tournament (first pair, second pair, the two winners; ties to the earlier element) keeps the
     * first maximum as the sequential scan does. Results go to a channels-last scratch, then are
     * transposed to the NCHW planes with plain loads and stores. Channels past the last whole
     * vector take the scalar path.
     */
    private static void maxPool2Relu(ConvPlan plan, float[] z, int zOff, float[] out, int outOff, int[] arg, int argBase) {
        ConvGeometry g = plan.g();
        int o = g.o(), full = o / VL * VL, ow = g.outW(), ph = g.outH() / 2, pw = ow / 2, phw = ph * pw, ld = plan.oPad();
        Scratch s = SCRATCH.get().fit(phw * full);
        FloatVector zero = FloatVector.zero(S);
        for (int q = 0; q < phw; q++) {
            int p = 2 * (q / pw) * ow + 2 * (q % pw);
            for (int ch = 0; ch < full; ch += VL) {
                int c = zOff + p * ld + ch, dst = q * full + ch;
                FloatVector a = FloatVector.fromArray(S, z, c);
                FloatVector b = FloatVector.fromArray(S, z, c + ld);
                FloatVector d = FloatVector.fromArray(S, z, c + ow * ld);
                FloatVector e = FloatVector.fromArray(S, z, c + ow * ld + ld);
                VectorMask<Float> top = b.compare(VectorOperators.GT, a), bottom = e.compare(VectorOperators.GT, d);
                FloatVector m0 = a.blend(b, top), m1 = d.blend(e, bottom);
                VectorMask<Float> second = m1.compare(VectorOperators.GT, m0);
                FloatVector m = m0.blend(m1, second);
                zero.blend(m, m.compare(VectorOperators.GT, zero)).intoArray(s.values, dst);
                if (arg != null) {
                    IntVector i0 = IntVector.broadcast(I, p).add(1, top.cast(I)), i1 = IntVector.broadcast(I, p + ow).add(1, bottom.cast(I));
                    i0.blend(i1, second.cast(I)).intoArray(s.pixels, dst);
                }
            }
        }
        int ohw = plan.pixels();
        for (int ch = 0; ch < full; ch++) {
            int dst = outOff + ch * phw, planeBase = argBase + ch * ohw;
            for (int q = 0, src = ch; q < phw; q++, src += full) {
                out[dst + q] = s.values[src];
                if (arg != null) arg[dst + q] = planeBase + s.pixels[src];
            }
        }
        maxPoolRelu(plan, z, zOff, 2, full, out, outOff, arg, argBase);
    }

    /** Per-thread channels-last pooled values and their window maxima's pixels. */
    private static final class Scratch {
        float[] values = new float[0];
        int[] pixels = new int[0];

        Scratch fit(int size) {
            if (values.length < size) {
                values = new float[size];
                pixels = new int[size];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
