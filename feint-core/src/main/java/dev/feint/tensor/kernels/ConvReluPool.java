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
    /** Gather offsets 0, 2, 4, ...: one window column per lane. */
    private static final int[] EVEN = java.util.stream.IntStream.range(0, VL).map(l -> 2 * l).toArray();
    private static final ThreadLocal<float[][]> Z = ThreadLocal.withInitial(() -> new float[1][0]);

    private ConvReluPool() {}

    /** Pooled output height or width for a conv output of {@code size} and window {@code pool}. */
    public static int pooled(int size, int pool) { return size / pool; }

    /**
     * out = maxPool_pool(relu(conv(x, w) + bias)); pool 1 means no pooling. If arg is non-null it
     * receives (pool > 1 only), for each output, the flat index into the [n, o, outH, outW] conv output of the
     * window's maximum (what the backward pass routes the gradient to).
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, int pool, float[] out, int[] arg) {
        if (pool < 1 || pool > Math.min(g.outH(), g.outW()))
            throw new IllegalArgumentException("pool window " + pool + " does not fit the conv output " + g.outH() + "x" + g.outW());
        int o = g.o(), oh = g.outH(), ow = g.outW(), ohw = oh * ow, k = g.patch();
        int ph = pooled(oh, pool), pw = pooled(ow, pool), phw = ph * pw;
        Conv2dKernels.checkSizes(g, x, "x", Conv2dKernels.inputSize(g), w, out, "out", (long) g.n() * o * phw);
        if (bias != null && bias.length < o) throw new IllegalArgumentException("bias length " + bias.length + " < " + o);
        if (arg != null && arg.length < (long) g.n() * o * phw) throw new IllegalArgumentException("arg length " + arg.length + " < " + (long) g.n() * o * phw);
        boolean direct = Conv2dKernels.isPointwise(g);
        Gemm.PackedA packedW = Conv2dKernels.packOnce(g.n(), false, o, k, w);
        Conv2dKernels.forEach(g.n(), (n, par) -> {
            float[] z = pool == 1 ? out : z(o * ohw);
            int zOff = pool == 1 ? n * o * ohw : 0;
            float[] b = direct ? x : Conv2dKernels.col(k * ohw);
            int bOff = direct ? n * g.c() * ohw : 0;
            if (!direct) Im2col.im2col(g, x, n * g.c() * g.h() * g.w(), b);
            if (bias != null)
                for (int oc = 0; oc < o; oc++) java.util.Arrays.fill(z, zOff + oc * ohw, zOff + (oc + 1) * ohw, bias[oc]);
            Conv2dKernels.gemm(par, packedW, false, false, o, ohw, k, w, 0, k, b, bOff, ohw, z, zOff, ohw, bias != null);
            if (pool == 1) {
                relu(z, zOff, o * ohw);
            } else {
                maxPoolRelu(z, o, oh, ow, pool, out, n * o * phw, arg, n * o * ohw);
            }
        });
    }

    /**
     * The gradient with respect to the conv output (pre-activation), image by image, from the
     * gradient of the fused output: each positive output passes its gradient to its window's
     * maximum (arg null: no pooling, the output is the conv output's ReLU).
     */
    public static Conv2dKernels.OutputGrad outputGrad(ConvGeometry g, float[] out, int[] arg, float[] gradOut) {
        int convImage = g.o() * g.outH() * g.outW(), outImage = arg == null ? convImage : out.length / Math.max(1, g.n());
        return (n, dst) -> {
            int o0 = n * outImage;
            if (arg == null) {
                for (int i = 0; i < convImage; i++) dst[i] = out[o0 + i] > 0f ? gradOut[o0 + i] : 0f;
            } else {
                java.util.Arrays.fill(dst, 0, convImage, 0f);
                int base = n * convImage;
                for (int q = o0; q < o0 + outImage; q++) if (out[q] > 0f) dst[arg[q] - base] += gradOut[q];
            }
        };
    }

    private static void relu(float[] a, int off, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(len);
        for (; i < bound; i += S.length()) {            // compare + blend, not max: NaN -> 0 as in Unary.relu
            FloatVector v = FloatVector.fromArray(S, a, off + i);
            zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(a, off + i);
        }
        for (; i < len; i++) a[off + i] = a[off + i] > 0f ? a[off + i] : 0f;
    }

    /** Non-overlapping max over pool x pool windows of each of the o planes, then ReLU. */
    private static void maxPoolRelu(float[] z, int o, int oh, int ow, int pool, float[] out, int outOff, int[] arg, int argBase) {
        int ph = oh / pool, pw = ow / pool, ohw = oh * ow;
        if (pool == 2) {
            maxPool2Relu(z, o, oh, ow, out, outOff, arg, argBase);
            return;
        }
        for (int oc = 0; oc < o; oc++) {
            int plane = oc * ohw, dst = outOff + oc * ph * pw;
            for (int i = 0; i < ph; i++)
                for (int j = 0; j < pw; j++, dst++) {
                    int bi = plane + i * pool * ow + j * pool;
                    float best = z[bi];
                    for (int u = 0; u < pool; u++)
                        for (int v = 0, r = plane + (i * pool + u) * ow + j * pool; v < pool; v++)
                            if (z[r + v] > best) { best = z[r + v]; bi = r + v; }
                    out[dst] = best > 0f ? best : 0f;
                    if (arg != null) arg[dst] = argBase + bi;
                }
        }
    }

    /**
     * The 2x2 case on vectors: one lane per output, the four window elements gathered (stride 2),
     * then a tournament (first pair, second pair, the two winners; ties to the earlier element) that
     * keeps the first maximum as the sequential scan does. Scalar code here mispredicted a branch per
     * comparison on real activations and cost as much as a third of the convolution.
     */
    private static void maxPool2Relu(float[] z, int o, int oh, int ow, float[] out, int outOff, int[] arg, int argBase) {
        int ph = oh / 2, pw = ow / 2;
        FloatVector zero = FloatVector.zero(S);
        IntVector even = IntVector.fromArray(I, EVEN, 0);
        for (int oc = 0; oc < o; oc++)
            for (int i = 0; i < ph; i++) {
                int r0 = (oc * oh + 2 * i) * ow, dst = outOff + (oc * ph + i) * pw;
                for (int j = 0; j < pw; j += VL) {
                    VectorMask<Float> lanes = S.indexInRange(j, pw);
                    int c = r0 + 2 * j;
                    FloatVector a = FloatVector.fromArray(S, z, c, EVEN, 0, lanes);
                    FloatVector b = FloatVector.fromArray(S, z, c + 1, EVEN, 0, lanes);
                    FloatVector d = FloatVector.fromArray(S, z, c + ow, EVEN, 0, lanes);
                    FloatVector e = FloatVector.fromArray(S, z, c + ow + 1, EVEN, 0, lanes);
                    VectorMask<Float> top = b.compare(VectorOperators.GT, a), bottom = e.compare(VectorOperators.GT, d);
                    FloatVector m0 = a.blend(b, top), m1 = d.blend(e, bottom);
                    VectorMask<Float> second = m1.compare(VectorOperators.GT, m0);
                    FloatVector m = m0.blend(m1, second);
                    zero.blend(m, m.compare(VectorOperators.GT, zero)).intoArray(out, dst + j, lanes);
                    if (arg != null) {
                        IntVector base = even.add(argBase + c);
                        IntVector i0 = base.add(1, top.cast(I)), i1 = base.add(ow).add(1, bottom.cast(I));
                        i0.blend(i1, second.cast(I)).intoArray(arg, dst + j, lanes.cast(I));
                    }
                }
            }
    }

    private static float[] z(int size) {
        float[][] holder = Z.get();
        // Slack past the last plane: a masked gather range-checks its inactive lanes too.
        if (holder[0].length < size + 2 * VL + 2) holder[0] = new float[size + 2 * VL + 2];
        return holder[0];
    }
}
