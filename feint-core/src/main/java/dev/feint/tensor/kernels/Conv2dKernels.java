package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fast 2-D convolution kernels (NCHW input, OIHW weights). Same contract as {@link ConvReference}:
 * forward overwrites out; backward methods accumulate into their gradient arrays.
 *
 * <p>The forward pass is {@link ChannelsLastConv}'s implicit GEMM, and so is the input gradient
 * where it is a convolution itself ({@link #asChannelsLastConv}), and a strided convolution's as
 * one stride-1 convolution per input phase ({@link StridedInputGradient}). Otherwise the input gradient
 * multiplies with {@link Gemm} into a [c*kh*kw][outH*outW] column matrix that {@link Im2col}
 * adds back; a 1x1, stride-1, unpadded convolution uses gradX directly. Both run on
 * {@link WinogradConv} where {@link ConvPlan#winograd} says so. The weight gradient is
 * {@link ConvWeightGradient}'s (Winograd's for 5x5). Images are
 * spread over {@link Parallel} in whole rounds of one image per thread; leftover images (and
 * batches smaller than the thread count) run one at a time with a parallel GEMM instead. Both
 * paths compute every output bit-identically, so forward and backwardInput do not depend on the
 * thread count. backwardWeight sums into a fixed number of group partials
 * (independent of the thread count) and adds the groups in order, so it is deterministic too.
 */
public final class Conv2dKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Fixed number of weight-gradient partial sums: caps memory and keeps the sum order fixed. */
    private static final int WEIGHT_GROUPS = 8;

    /** Per-thread im2col buffer, grown on demand. */
    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per-thread buffer for one image's output gradient (OutputGrad callers). */
    private static final ThreadLocal<float[][]> IMAGE_GRAD = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per-thread buffer for the output gradients of several images (OutputGrad callers). */
    private static final ThreadLocal<float[][]> IMAGE_GRADS = ThreadLocal.withInitial(() -> new float[1][0]);

    private Conv2dKernels() {}

    /** Work on item {@code i}; {@code innerParallel} says the GEMM may use the worker threads. */
    @FunctionalInterface
    interface Item {
        void run(int i, boolean innerParallel);
    }

    /**
     * Whether stride-1 5x5 and 3x3 convolutions with 16+ channels run by Winograd: F(2x2, 5x5)
     * (forward, input gradient and weight gradient; 2.6x fewer multiplications) and F(4x4, 3x3)
     * (input gradient, and forward with weights prepared by {@link PreparedConv} or in inference:
     * a training step's forward stays direct, as batch-statistics BatchNorm magnifies the difference;
     * on maps of 4x4 and more; 4x fewer), results within about 1e-5 of
     * the output scale instead of the direct sum's 3e-7. On by default;
     * {@code -Dfeint.winograd=false} or {@code setWinograd(false)} selects the direct kernels for
     * later calls (weights prepared in a {@code FrozenWeights} scope too, made again on first use).
     *
     * @param on true to enable
     */
    public static void setWinograd(boolean on) { WinogradConv.setEnabled(on); }

    /** {@return whether Winograd is on (see {@link #setWinograd})} */
    public static boolean winograd() { return WinogradConv.enabled(); }

    /**
     * Whether depthwise convolutions (groups == input channels) run on {@link DepthwiseConv}'s
     * channel-vector kernel (the default) or, for comparisons, group by group on the im2col/GEMM
     * path every other grouped convolution takes. Same values up to rounding.
     *
     * @param on true to enable
     */
    public static void setDepthwiseKernel(boolean on) { DepthwiseConv.setEnabled(on); }

    private static volatile boolean stridedKernel = !"false".equals(System.getProperty("feint.stridedInputGradient"));

    /**
     * Whether strided convolutions' input gradients run as per-phase stride-1 convolutions
     * ({@link StridedInputGradient}, the default where it applies) or, for comparisons, on GEMM +
     * col2im ({@code -Dfeint.stridedInputGradient=false}). Same values up to rounding.
     *
     * @param on true to enable
     */
    public static void setStridedInputGradient(boolean on) { stridedKernel = on; }

    /** {@return whether strided input gradients run as per-phase convolutions (see {@link #setStridedInputGradient})} */
    static boolean stridedInputGradient() { return stridedKernel; }

    /**
     * out = conv(x, w) + bias (nullable), on the fastest kernel for g.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param out the output, NCHW, overwritten
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out) {
        forward(g, x, w, bias, out, null);
    }

    /**
     * As {@link #forward(ConvGeometry, float[], float[], float[], float[])}, with w prepared once (nullable).
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param out the output, NCHW, overwritten
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out, PreparedConv prepared) {
        checkSizes(g, x, "x", inputSize(g), w, out, "out", outputSize(g));
        if (bias != null && bias.length < g.o()) throw new IllegalArgumentException("bias length " + bias.length + " < " + g.o());
        int outImage = g.o() * g.outH() * g.outW();
        if (g.groups() > 1) {
            GroupedConv.forward(g, x, w, bias, out);
            return;
        }
        ConvPlan plan = PreparedConv.plan(prepared, g, w, bias, false);
        int rows = plan.pixels() * plan.oPad();
        ConvPlan.forEachCall(plan, g.n(), (n, count, par) -> {
            float[] z = ChannelsLastConv.z(plan);
            plan.image(x, n, count, z, par);
            for (int j = 0; j < count; j++) ChannelsLastConv.toPlanes(plan, z, j * rows, out, (n + j) * outImage, false);
        });
    }

    /**
     * The gradient of a convolution's output, produced image by image into a scratch buffer
     * (o * outH * outW floats at dst[0]): a fused op then never materialises the whole of it.
     */
    @FunctionalInterface
    public interface OutputGrad {
        /**
         * Writes the output gradient of one image.
         *
         * @param n the image's index in the batch
         * @param dst where to write its o * outH * outW gradient values
         */
        void image(int n, float[] dst);
    }

    /**
     * gradX += conv-transpose of gradOut with w.
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to
     */
    public static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX) {
        backwardInput(g, gradOut, w, gradX, null);
    }

    /**
     * As {@link #backwardInput(ConvGeometry, float[], float[], float[])}, with w prepared by {@link PreparedConv#inputGradient} (nullable).
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     */
    public static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX, PreparedConv prepared) {
        checkSizes(g, gradX, "gradX", inputSize(g), w, gradOut, "gradOut", outputSize(g));
        backwardInput(g, gradOut, null, w, gradX, prepared);
    }

    /**
     * As {@link #backwardInput(ConvGeometry, float[], float[], float[])}, the gradient given per
     * image, with w prepared once by {@link PreparedConv#inputGradient} (nullable).
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to
     * @param prepared w prepared once by {@link PreparedConv} for this geometry, or null
     */
    public static void backwardInput(ConvGeometry g, OutputGrad gradOut, float[] w, float[] gradX, PreparedConv prepared) {
        checkSizes(g, gradX, "gradX", inputSize(g), w, gradX, "gradX", 0);
        backwardInput(g, null, gradOut, w, gradX, prepared);
    }

    /**
     * gradX += conv-transpose of the per-image gradient with w.
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to
     */
    public static void backwardInput(ConvGeometry g, OutputGrad gradOut, float[] w, float[] gradX) {
        backwardInput(g, gradOut, w, gradX, null);
    }

    private static void backwardInput(ConvGeometry g, float[] full, OutputGrad each, float[] w, float[] gradX, PreparedConv prepared) {
        if (g.groups() > 1) {
            GroupedConv.backwardInput(g, whole(g, full, each), w, gradX);
            return;
        }
        if (asChannelsLastConv(g)) {
            backwardInputChannelsLast(g, full, each, w, gradX, prepared);
            return;
        }
        if (stridedKernel && StridedInputGradient.applies(g)) {
            StridedInputGradient.Phases p = prepared != null && prepared.strided != null && prepared.fits(g) ? prepared.strided : StridedInputGradient.plan(g, w);
            StridedInputGradient.backwardInput(p, g, full, each, gradX);
            return;
        }
        int o = g.o(), ohw = g.outH() * g.outW(), k = g.patch(), chw = g.c() * g.h() * g.w();
        boolean direct = isPointwise(g);
        Gemm.PackedA wt = packOnce(g.n(), true, k, o, w);
        forEach(g.n(), (n, par) -> {
            float[] go = gradImage(full, each, n, o * ohw);
            int goOff = full != null ? n * o * ohw : 0;
            if (direct) {                                         // gradX_n += W^T gradOut_n
                gemm(par, wt, true, false, k, ohw, o, w, 0, k, go, goOff, ohw, gradX, n * chw, ohw, true);
            } else {
                float[] col = col(k * ohw);
                gemm(par, wt, true, false, k, ohw, o, w, 0, k, go, goOff, ohw, col, 0, ohw, false);
                Im2col.col2imAdd(g, col, gradX, n * chw);
            }
        });
    }

    /**
     * With unit stride and dilation the input gradient is itself a convolution: of the output
     * gradient, padded by k - 1 - pad, with the weights flipped and their channel axes swapped.
     * Run as {@link ChannelsLastConv} it needs no im2col or col2im. Below 16 input channels the
     * transposed convolution's output channels would fill too few lanes, so im2col stays.
     */
    static boolean asChannelsLastConv(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.dilH() == 1 && g.dilW() == 1
                && g.padTop() < g.kh() && g.padBottom() < g.kh() && g.padLeft() < g.kw() && g.padRight() < g.kw()
                && g.c() >= 16 && g.groups() == 1;
    }

    /** The convolution that computes g's input gradient (see {@link #asChannelsLastConv}). */
    static ConvGeometry inputGradientGeometry(ConvGeometry g) {
        int kh = g.kh(), kw = g.kw();
        // Output row y reads gradient rows y + padTop - (kh - 1) .. y + padTop: padded by kh - 1 - pad on each side.
        return new ConvGeometry(g.n(), g.o(), g.outH(), g.outW(), g.c(), kh, kw, 1, 1,
                kh - 1 - g.padTop(), kw - 1 - g.padLeft(), kh - 1 - g.padBottom(), kw - 1 - g.padRight(), 1, 1, 1);
    }

    /** The plan of the input gradient as a convolution (see {@link #asChannelsLastConv}). */
    static ConvPlan inputGradientPlan(ConvGeometry g, float[] w) {
        int o = g.o(), c = g.c(), kh = g.kh(), kw = g.kw();
        ConvGeometry t = inputGradientGeometry(g);
        float[] flipped = new float[c * o * kh * kw];
        for (int oc = 0; oc < o; oc++)
            for (int ch = 0; ch < c; ch++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        flipped[((ch * o + oc) * kh + ky) * kw + kx] = w[((oc * c + ch) * kh + kh - 1 - ky) * kw + kw - 1 - kx];
        return ConvPlan.ofInputGradient(t, flipped);
    }

    /**
     * The input gradient as a convolution, in calls of as many images as the plan takes (small maps:
     * a 1x1 output is 48 images per call, which one image per call would pad up with 47 absent ones).
     */
    private static void backwardInputChannelsLast(ConvGeometry g, float[] full, OutputGrad each, float[] w, float[] gradX, PreparedConv prepared) {
        int o = g.o(), c = g.c(), ohw = g.outH() * g.outW(), chw = c * g.h() * g.w();
        ConvPlan plan = prepared != null && prepared.fits(g) ? prepared.planFor(g) : inputGradientPlan(g, w);
        ConvPlan.forEachCall(plan, g.n(), (n, count, par) -> {
            float[] go = full;
            if (full == null) {
                go = gradImages(count * o * ohw);
                float[] one = gradImage(null, each, n, o * ohw);
                for (int j = 0; j < count; j++) {
                    if (j > 0) each.image(n + j, one);
                    System.arraycopy(one, 0, go, j * o * ohw, o * ohw);
                }
            }
            float[] z = ChannelsLastConv.z(plan);
            plan.image(go, full != null ? n : 0, count, z, par);
            // Image j's rows start at j * the plan's pixels (the input's h * w, not the output's).
            for (int j = 0; j < count; j++) ChannelsLastConv.addToPlanes(plan, z, j * plan.pixels() * plan.oPad(), gradX, (n + j) * chw);
        });
    }

    /**
     * gradW += correlation of x with gradOut; gradBias (nullable) += sum of gradOut.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param gradOut the gradient of the output
     * @param gradW the weight gradient, added to
     * @param gradBias the bias gradient [o], added to, or null
     */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW, float[] gradBias) {
        checkSizes(g, x, "x", inputSize(g), gradW, gradOut, "gradOut", outputSize(g));
        backwardWeight(g, x, gradOut, null, gradW, gradBias);
    }

    /**
     * As {@link #backwardWeight(ConvGeometry, float[], float[], float[], float[])}, the gradient given per image.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param gradOut the gradient of the output
     * @param gradW the weight gradient, added to
     * @param gradBias the bias gradient [o], added to, or null
     */
    public static void backwardWeight(ConvGeometry g, float[] x, OutputGrad gradOut, float[] gradW, float[] gradBias) {
        checkSizes(g, x, "x", inputSize(g), gradW, x, "x", 0);
        backwardWeight(g, x, null, gradOut, gradW, gradBias);
    }

    /**
     * Whether g's input and weight gradients can both read one channels-last output gradient
     * ([n][outH][outW][o]) on the kernels the NCHW gradient takes, with the same bits: the input
     * gradient as a transposed convolution ({@link ChannelsLastInputGradient}) and the weight
     * gradient by Winograd ({@link #backwardWeightChannelsLast}). A fused op then expands its
     * output gradient once for both, and neither kernel transposes it.
     *
     * @param g the geometry
     * @return true for a stride-1 5x5 convolution on the Winograd path
     */
    public static boolean sharesChannelsLastGradient(ConvGeometry g) {
        return g.groups() == 1 && asChannelsLastConv(g) && WinogradConv.appliesToWeightGradient(g);
    }

    /**
     * As {@link #backwardWeight(ConvGeometry, float[], float[], float[], float[])}, the output
     * gradient channels-last, [n][outH][outW][o], for the geometries {@link
     * #sharesChannelsLastGradient} takes: the same sums, the same bits.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param gz the gradient of the output, channels-last
     * @param gradW the weight gradient, added to
     * @param gradBias the bias gradient [o], added to, or null
     * @throws IllegalArgumentException if g is not one {@link #sharesChannelsLastGradient} takes
     */
    public static void backwardWeightChannelsLast(ConvGeometry g, float[] x, float[] gz, float[] gradW, float[] gradBias) {
        if (!sharesChannelsLastGradient(g)) throw new IllegalArgumentException("no channels-last weight gradient for " + g);
        checkSizes(g, x, "x", inputSize(g), gradW, gz, "gradOut", outputSize(g));
        if (gradBias != null && gradBias.length < g.o())
            throw new IllegalArgumentException("gradBias length " + gradBias.length + " < " + g.o());
        int nImg = g.n(), image = g.o() * g.outH() * g.outW();
        if (nImg == 0) return;
        WinogradWeightGrad.backward(g, x, new WinogradWeightGrad.ImageGrad() {
            @Override public float[] image(int n) { return gz; }

            @Override public int offset(int n) { return n * image; }

            @Override public boolean channelsLast() { return true; }
        }, gradW, gradBias, Math.min(nImg, WEIGHT_GROUPS));
    }

    private static void backwardWeight(ConvGeometry g, float[] x, float[] full, OutputGrad each, float[] gradW, float[] gradBias) {
        if (gradBias != null && gradBias.length < g.o())
            throw new IllegalArgumentException("gradBias length " + gradBias.length + " < " + g.o());
        if (g.groups() > 1) {
            GroupedConv.backwardWeight(g, x, whole(g, full, each), gradW, gradBias);
            return;
        }
        int nImg = g.n(), o = g.o(), ohw = g.outH() * g.outW();
        if (nImg == 0) return;
        if (WinogradConv.appliesToWeightGradient(g)) {
            int groups = Math.min(nImg, WEIGHT_GROUPS);
            WinogradWeightGrad.backward(g, x, new WinogradWeightGrad.ImageGrad() {
                @Override public float[] image(int n) { return gradImage(full, each, n, o * ohw); }

                @Override public int offset(int n) { return full != null ? n * o * ohw : 0; }
            }, gradW, gradBias, groups);
            return;
        }
        ConvWeightGradient.backward(g, x, full, each, gradW, gradBias);
    }

    /**
     * Runs items [0, count): whole rounds of one item per thread, each thread taking the next
     * unclaimed item (a thread slowed by the VM's other tenants takes fewer), then the leftover
     * items one by one with a parallel GEMM inside, so no thread idles on an uneven split. An
     * item's result does not depend on the thread that computes it.
     */
    static void forEach(int count, Item body) {
        int t = Parallel.chunks(Integer.MAX_VALUE, 1);            // 1 when already on a worker
        int rounds = t > 1 ? count / t * t : count;
        if (rounds > 0) Parallel.forEachItem(rounds, i -> body.run(i, false));
        for (int i = rounds; i < count; i++) body.run(i, true);
    }

    /** op(w) packed once when several images will multiply it (packing per image cost ~8% of a step). */
    static Gemm.PackedA packOnce(int images, boolean trans, int m, int k, float[] w) {
        return images > 1 && (long) m * k > 0 ? Gemm.pack(trans, m, k, w, 0, trans ? m : k) : null;
    }

    /** As {@link #gemm(boolean, boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}, using A pre-packed when available on one thread. */
    static void gemm(boolean par, Gemm.PackedA packed, boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
        if (packed != null && !par) Gemm.sgemm(packed, tb, n, b, bOff, ldb, c, cOff, ldc, acc);
        else gemm(par, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
    }

    static void gemm(boolean par, boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
        if (par) Gemm.sgemmParallel(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        else Gemm.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
    }

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[S.length()]);

    /** dst[dOff + r] (+)= sum of row r of the rows x cols block at src[sOff]. */
    static void rowSums(float[] src, int sOff, int rows, int cols, float[] dst, int dOff, boolean add) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = sOff + r * cols, j = 0;
            FloatVector acc = FloatVector.zero(S);
            for (; j < bound; j += S.length()) acc = acc.add(FloatVector.fromArray(S, src, base + j));
            // reduceLanes(ADD) leaves the order unspecified (JIT and interpreter may differ):
            // sum the lanes in a fixed order so results are reproducible bit for bit.
            float[] lanes = LANES.get();
            acc.intoArray(lanes, 0);
            float s = 0f;
            for (float v : lanes) s += v;
            for (; j < cols; j++) s += src[base + j];
            dst[dOff + r] = add ? dst[dOff + r] + s : s;
        }
    }

    /** A 1x1 kernel with unit stride and no padding: the input already is the column matrix. */
    static boolean isPointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.paddedH() == g.h() && g.paddedW() == g.w();
    }

    /**
     * Where image n's output gradient is: the whole array when given whole (at n * size), else
     * this thread's buffer (at 0) filled by {@code each}.
     */
    private static float[] gradImage(float[] full, OutputGrad each, int n, int size) {
        if (full != null) return full;
        float[][] holder = IMAGE_GRAD.get();
        if (holder[0].length < size) holder[0] = new float[size];
        each.image(n, holder[0]);
        return holder[0];
    }

    /** This thread's buffer for the output gradients of the images of one call. */
    private static float[] gradImages(int size) {
        float[][] holder = IMAGE_GRADS.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    /** The whole output gradient: {@code full}, or the images of {@code each} gathered into one array. */
    private static float[] whole(ConvGeometry g, float[] full, OutputGrad each) {
        if (full != null) return full;
        int size = g.o() * g.outH() * g.outW();
        float[] all = new float[g.n() * size], one = new float[size];
        for (int n = 0; n < g.n(); n++) {
            each.image(n, one);
            System.arraycopy(one, 0, all, n * size, size);
        }
        return all;
    }

    static float[] col(int size) {
        float[][] holder = COL.get();
        if (holder[0].length < size) holder[0] = new float[size + S.length()];   // slack: see Im2col.padded
        return holder[0];
    }

    static long inputSize(ConvGeometry g) { return (long) g.n() * g.c() * g.h() * g.w(); }

    static long outputSize(ConvGeometry g) { return (long) g.n() * g.o() * g.outH() * g.outW(); }

    static void checkSizes(ConvGeometry g, float[] in, String inName, long inLen, float[] w,
                                   float[] out, String outName, long outLen) {
        long wLen = (long) g.o() * g.patch();
        if (in.length < inLen) throw new IllegalArgumentException(inName + " length " + in.length + " < " + inLen + " for " + g);
        if (w.length < wLen) throw new IllegalArgumentException("weight length " + w.length + " < " + wLen + " for " + g);
        if (out.length < outLen) throw new IllegalArgumentException(outName + " length " + out.length + " < " + outLen + " for " + g);
        if (inLen > Integer.MAX_VALUE || outLen > Integer.MAX_VALUE)
            throw new IllegalArgumentException("conv tensors over 2^31 elements are not supported: " + g);
    }
}
