package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inference forward of a MobileNet-V2 inverted-residual block as one kernel: a 1x1 expansion
 * clamped (ReLU6), a 3x3 depthwise convolution clamped, a 1x1 projection, and the residual
 * addition of the block's input when it has one; channels-last in and out. Each image runs the
 * three convolutions back to back, so the 6x-expanded activation (96 KB for MobileNet-V2's
 * 16x16 x 96 on 32x32 inputs) lives in per-thread buffers in L2 instead of being written out for
 * the whole batch (6 MB at batch 64) and read back. Small maps run a few images per call (their
 * expanded activations together still within {@link #GROUP_FLOATS}), so the 1x1s' weights (up to
 * 600 KB in the last blocks) are read once per group rather than once per image. An image too few
 * to spread over the threads (a batch of one) is split when the block is worth it ({@link
 * #loneImageSplit}): a large map into bands of output rows, each band expanding the input rows its
 * taps need (a row of overlap recomputed); a small one by channels, in two rounds (the expanded
 * channels through the expansion and the depthwise convolution, then the projection's output
 * channels), so each thread reads only its share of the 1x1s' weights, which at batch one are
 * most of the block's memory traffic (1.2-1.8 MB in MobileNet-V2's last blocks).
 *
 * <p>The same kernels as the separate layers ({@link ChannelsLastConv} for the 1x1s, {@link
 * DepthwiseInPlace}), in the same order of sums, so the same values as the unfused graph.
 */
public final class FusedInvertedResidual {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final int MR = ChannelsLastConv.MR, NR = ChannelsLastConv.NR;
    /** Output rows below which a lone image is not split into bands (the recomputed overlap would outweigh a second thread). */
    private static final int MIN_BAND_ROWS = 4;
    /**
     * Multiply-adds of one image below which a lone image's block runs on one thread: each split
     * costs a hand-off per round. Not higher: a run of unsplit blocks longer than the workers'
     * spin ({@code Parallel.SPIN_NANOS}, 200 us) parks them, and the next split waits for a
     * wake-up. MobileNet-V2 on 32x32 (every block 147 K or more, 16-88 us on one thread) at batch
     * 1 on 2 threads, in the bench's rounds (200 ms pauses, 40 calls): 826-900 us a forward with
     * every block split against 1,343-1,464 us with features.5-11 (147-246 K) left on one thread
     * at 256 K, and 1,073-1,423 us layer by layer (Zen 3, 2026-12-02).
     */
    static final long MIN_SPLIT_WORK = 128 * 1024;

    /** How a lone image's block is spread over the threads. */
    enum LoneSplit {
        /** On one thread. */
        NONE,
        /** Into bands of output rows. */
        BANDS,
        /** By channels, in two rounds. */
        CHANNELS
    }
    /**
     * The expanded activations of one call's images at most, unless one image is more: 128 KB, an eighth
     * of the L2 (against 64 and 256 KB: 5-10% faster at batch 64, one thread, MobileNet-V2 on 32x32).
     * {@code -Dfeint.ir.groupFloats=N} sets it for A/B runs: on the AVX-512 VM (2 MB L2) 128 K floats
     * ran 6-14% faster than 32 K alone (Fwd.java), not in the interleaved benches (r18jit-2026-12-04).
     */
    static final int GROUP_FLOATS = Integer.getInteger("feint.ir.groupFloats", 32 * 1024);

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[4][0]);

    /**
     * The images one call of the block runs together: as many as keep their expanded activations
     * within {@link #GROUP_FLOATS}, at least one.
     *
     * @param depthwise the depthwise convolution's geometry (its input is the expanded activation)
     * @return the images per call, for {@link Part#pointwise}
     */
    public static int imagesPerCall(ConvGeometry depthwise) {
        return (int) Math.max(1, Math.min(64, GROUP_FLOATS / ((long) depthwise.h() * depthwise.w() * depthwise.c())));
    }

    /**
     * One convolution's weights packed for a group of images: a 1x1's for {@link ChannelsLastConv}, a
     * depthwise one's for {@link DepthwiseInPlace}. Each is made once per weight tensor (a
     * {@code Tensor.derived} form), so a changed weight repacks only its own part.
     */
    public static final class Part {
        final ConvGeometry g;
        final ChannelsLastConv.Plan pointwise;
        final DepthwiseConv.Plan depthwise;

        private Part(ConvGeometry g, ChannelsLastConv.Plan pointwise, DepthwiseConv.Plan depthwise) {
            this.g = g;
            this.pointwise = pointwise;
            this.depthwise = depthwise;
        }

        /**
         * A 1x1 convolution's weights.
         *
         * @param g its geometry for one image
         * @param w its weights [o, c, 1, 1]
         * @param images the images per call ({@link #imagesPerCall})
         * @return the packed part
         */
        public static Part pointwise(ConvGeometry g, float[] w, int images) {
            return new Part(g, new ChannelsLastConv.Plan(g, w, null, images), null);
        }

        /**
         * A depthwise 3x3 convolution's weights.
         *
         * @param g its geometry for one image
         * @param w its weights [c, 1, 3, 3]
         * @return the packed part
         */
        public static Part depthwise(ConvGeometry g, float[] w) { return new Part(g, null, new DepthwiseConv.Plan(g, w)); }

        /**
         * Whether this part was packed for g and (a 1x1's) that many images per call.
         *
         * @param g a geometry of one image
         * @param images the images per call (ignored for a depthwise part)
         * @return whether it is this part's
         */
        public boolean fits(ConvGeometry g, int images) { return this.g.equals(g) && (pointwise == null || pointwise.images == images); }
    }

    /** The block's three parts ({@link #forward} runs any batch of them). */
    public static final class Plan {
        final ConvGeometry expand, depthwise, project;
        final ChannelsLastConv.Plan e, p;
        final DepthwiseConv.Plan d;

        /**
         * The block of these parts, whose geometries {@link #applies}.
         *
         * @param expand the 1x1 expansion, or null for a block without one (MobileNet-V2's first)
         * @param depthwise the depthwise convolution
         * @param project the 1x1 projection
         */
        public Plan(Part expand, Part depthwise, Part project) {
            if (expand != null && expand.pointwise.images != project.pointwise.images)
                throw new IllegalArgumentException("the 1x1s' images per call differ: " + expand.pointwise.images + " and " + project.pointwise.images);
            this.expand = expand == null ? null : expand.g;
            this.depthwise = depthwise.g;
            this.project = project.g;
            e = expand == null ? null : expand.pointwise;
            d = depthwise.depthwise;
            p = project.pointwise;
        }
    }

    private FusedInvertedResidual() {}

    /**
     * Whether the three convolutions (geometries of one image) chain into this kernel: an unpadded
     * stride-1 1x1 expansion (or none), a 3x3 depthwise one on whole channel vectors, an unpadded
     * stride-1 1x1 projection; with {@code residual}, an output the shape of the input.
     *
     * @param expand the expansion, or null
     * @param depthwise the depthwise convolution
     * @param project the projection
     * @param residual whether the block's input is added to the projection
     * @return whether {@link #forward} runs them
     */
    public static boolean applies(ConvGeometry expand, ConvGeometry depthwise, ConvGeometry project, boolean residual) {
        if (expand != null && (!pointwise(expand) || expand.o() != depthwise.c() || expand.h() != depthwise.h() || expand.w() != depthwise.w()))
            return false;
        if (!DepthwiseInPlace.applies(depthwise) || depthwise.n() != 1 || !pointwise(project) || project.c() != depthwise.o()
                || project.h() != depthwise.outH() || project.w() != depthwise.outW()) return false;
        int c = expand != null ? expand.c() : depthwise.c();
        return !residual || (project.o() == c && project.h() == depthwise.h() && project.w() == depthwise.w());
    }

    /**
     * How a lone image's block (geometries as {@link #applies} takes them) is spread over
     * {@code threads}: not at all on one thread or below {@link #MIN_SPLIT_WORK}; into bands of
     * at least {@link #MIN_BAND_ROWS} output rows where the map has two of them; else by channels.
     */
    static LoneSplit loneImageSplit(ConvGeometry expand, ConvGeometry depthwise, ConvGeometry project, int threads) {
        if (threads < 2 || work(expand, depthwise, project) < MIN_SPLIT_WORK) return LoneSplit.NONE;
        return depthwise.outH() >= 2 * MIN_BAND_ROWS ? LoneSplit.BANDS : LoneSplit.CHANNELS;
    }

    /** Multiply-adds of one image through the block's three convolutions. */
    static long work(ConvGeometry expand, ConvGeometry depthwise, ConvGeometry project) {
        long e = expand == null ? 0 : (long) expand.h() * expand.w() * expand.c() * expand.o();
        long d = (long) depthwise.outH() * depthwise.outW() * depthwise.c() * depthwise.kh() * depthwise.kw();
        return e + d + (long) project.h() * project.w() * project.c() * project.o();
    }

    private static boolean pointwise(ConvGeometry g) {
        return g.n() == 1 && g.groups() == 1 && g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.paddedH() == g.h() && g.paddedW() == g.w();
    }

    /**
     * out = project(clamp(depthwise(clamp(expand(x), lo1, hi1)), lo2, hi2)) (+ x) for n images,
     * x and out channels-last ([n][h][w][c]); biases may be null.
     *
     * @param plan the packed weights ({@link #applies} holds for its geometries)
     * @param n the images
     * @param x the block's input, [n][h][w][c]
     * @param be the expansion's bias, or null
     * @param lo1 the expansion's clamp, lower bound
     * @param hi1 the expansion's clamp, upper bound
     * @param bd the depthwise bias, or null
     * @param lo2 the depthwise clamp, lower bound
     * @param hi2 the depthwise clamp, upper bound
     * @param bp the projection's bias, or null
     * @param residual whether x is added to the projection
     * @param out the output, [n][outH][outW][co], overwritten
     */
    public static void forward(Plan plan, int n, float[] x, float[] be, float lo1, float hi1, float[] bd, float lo2, float hi2,
                               float[] bp, boolean residual, float[] out) {
        ConvGeometry gd = plan.depthwise, gp = plan.project;
        int inImage = gd.h() * gd.w() * (plan.expand != null ? plan.expand.c() : gd.c());
        if (x.length < (long) n * inImage || out.length < (long) n * gp.h() * gp.w() * gp.o())
            throw new IllegalArgumentException("inverted residual of " + n + " images needs x of " + (long) n * inImage
                    + " and out of " + (long) n * gp.h() * gp.w() * gp.o() + " floats, got " + x.length + " and " + out.length);
        if (plan.e != null) plan.e.setBias(be);
        plan.p.setBias(bp);
        float[] dBias = new float[plan.d.oPad];
        if (bd != null) System.arraycopy(bd, 0, dBias, 0, gd.o());
        int oh = gd.outH(), threads = Parallel.threads(), per = imagesEachCall(n, plan.p.images, threads);
        LoneSplit lone = loneImageSplit(plan.expand, gd, gp, threads);
        Conv2dKernels.forEach((n + per - 1) / per, (call, par) -> {
            int first = call * per, count = Math.min(per, n - first);
            LoneSplit split = par && count == 1 ? lone : LoneSplit.NONE;
            if (split == LoneSplit.CHANNELS) byChannels(plan, first, x, lo1, hi1, dBias, lo2, hi2, residual, out);
            else if (split == LoneSplit.NONE) run(plan, first, count, 0, oh, x, lo1, hi1, dBias, lo2, hi2, residual, out);
            else {
                int bands = Math.min(threads, oh / MIN_BAND_ROWS);
                Parallel.forRange(bands, 1, (chunk, from, to) -> {
                    for (int b = from; b < to; b++)
                        run(plan, first, 1, b * oh / bands, (b + 1) * oh / bands, x, lo1, hi1, dBias, lo2, hi2, residual, out);
                });
            }
        });
    }

    /**
     * The images of each call for n images: at most {@code images} (the plan's), the largest size
     * whose calls, dealt out to the threads in turn, leave the busiest thread within 1/16 of an
     * even share (else the size that comes closest; smaller calls read the 1x1s' weights more
     * often). 64 images in calls of at most 21 on 2 threads are calls of 17, 17, 17 and 13 (34
     * and 30 images a thread), not 21, 21, 21 and 1 (42 and 22): MobileNet-V2's 2x2 and 1x1
     * blocks, features.7-14, 12-19% faster each at batch 64 on 2 threads.
     *
     * @param n the images
     * @param images the most images one call takes
     * @param threads the threads
     * @return the images per call (the last call may have fewer)
     */
    static int imagesEachCall(int n, int images, int threads) {
        int even = (n + threads - 1) / threads, enough = even + even / 16;   // within 1/16 of an even split
        int best = Math.max(1, Math.min(images, n)), least = Integer.MAX_VALUE;
        for (int per = best; per >= 1; per--) {
            int load = busiest(n, per, threads);
            if (load <= enough) return per;
            if (load < least) { best = per; least = load; }
        }
        return best;
    }

    /** The images of the busiest thread when n images' calls of {@code per} are dealt out to the threads in turn. */
    private static int busiest(int n, int per, int threads) {
        int calls = (n + per - 1) / per, most = 0;
        for (int t = 0; t < Math.min(threads, calls); t++) {
            int mine = (calls - t + threads - 1) / threads, load = mine * per;
            if ((calls - 1) % threads == t) load -= calls * per - n;   // this thread has the short last call
            most = Math.max(most, load);
        }
        return most;
    }

    /**
     * Output rows [oy0, oy1) of images [img, img + count) (all rows when count &gt; 1): the
     * expansion of the input rows they read, then the depthwise convolution and the projection.
     */
    private static void run(Plan plan, int img, int count, int oy0, int oy1, float[] x, float lo1, float hi1, float[] dBias, float lo2, float hi2,
                            boolean residual, float[] out) {
        ConvGeometry gd = plan.depthwise, gp = plan.project;
        int h = gd.h(), w = gd.w(), ce = gd.c(), ow = gd.outW(), co = gp.o(), hw = h * w;
        int c = plan.expand != null ? plan.expand.c() : ce, xImg = img * hw * c;
        float[][] buffers = BUFFERS.get();
        float[] e;
        int eImg, ldE;
        if (plan.e != null) {
            int iy0 = Math.max(0, oy0 * gd.strideH() - gd.padTop());
            int iy1 = Math.min(h, (oy1 - 1) * gd.strideH() - gd.padTop() + 2 * gd.dilH() + 1);
            int rows = count == 1 ? (iy1 - iy0) * w : count * hw;
            ldE = plan.e.oPad;
            e = buffer(buffers, 0, roundUp(rows) * ldE);
            int xOff = xImg + iy0 * w * c;
            float[] in = tileSafe(plan, buffers, x, xOff, rows, c);
            ChannelsLastConv.multiply(plan.e, rows, in, in == x ? xOff : 0, e, 0);
            ChannelsLastForward.store(e, 0, ldE, rows, e, 0, ldE, 0, ce, lo1, hi1);     // clamped in place
            eImg = -iy0 * w * ldE;   // row iy of the first image at e[eImg + iy * w * ldE]: only the rows asked for are read
        } else {
            e = x;
            eImg = xImg;
            ldE = ce;
        }
        int band = (oy1 - oy0) * ow, rowsP = count * band;
        float[] d = buffer(buffers, 1, roundUp(rowsP) * ce);
        for (int j = 0; j < count; j++)
            DepthwiseInPlace.forward(gd, e, eImg + j * hw * ldE, ldE, plan.d.packed, plan.d.oPad, dBias, lo2, hi2, d, (j * band - oy0 * ow) * ce,
                    oy0, oy1, 0, plan.d.blocks);
        int ldP = plan.p.oPad;
        float[] z = buffer(buffers, 2, roundUp(rowsP) * ldP);
        ChannelsLastConv.multiply(plan.p, rowsP, d, 0, z, 0);
        int outOff = (img * gp.h() * gp.w() + oy0 * ow) * co;
        storeProjection(z, ldP, rowsP, residual, x, xImg + oy0 * ow * co, out, outOff, co, 0, co);
    }

    /**
     * A lone image's block on the threads by channels, in two rounds: the expanded channels (NR at a
     * time, as the expansion's panels) through the expansion, its clamp and the depthwise
     * convolution; then the projection's output panels and the residual. Each thread reads only its
     * channels' weights. The buffers are the calling thread's; each round's threads write disjoint
     * channels of them. The same sums as {@link #run}, so the same bits.
     */
    private static void byChannels(Plan plan, int img, float[] x, float lo1, float hi1, float[] dBias, float lo2, float hi2,
                                   boolean residual, float[] out) {
        ConvGeometry gd = plan.depthwise, gp = plan.project;
        int hw = gd.h() * gd.w(), ce = gd.c(), co = gp.o(), oh = gd.outH(), rowsP = oh * gd.outW();
        int c = plan.expand != null ? plan.expand.c() : ce, xImg = img * hw * c, blocks = Parallel.threads() * 2;
        float[][] buffers = BUFFERS.get();
        int ldE = plan.e != null ? plan.e.oPad : ce;
        float[] e = plan.e != null ? buffer(buffers, 0, roundUp(hw) * ldE) : x, in = plan.e != null ? tileSafe(plan, buffers, x, xImg, hw, c) : null;
        int inOff = in == x ? xImg : 0, eImg = plan.e != null ? 0 : xImg;
        float[] d = buffer(buffers, 1, roundUp(rowsP) * ce);
        Parallel.forBlocks((ce + NR - 1) / NR, blocks, (block, p0, p1) -> {
            int c0 = p0 * NR, c1 = Math.min(ce, p1 * NR);
            if (plan.e != null) {
                ChannelsLastConv.multiply(plan.e, hw, in, inOff, e, 0, p0, p1);
                ChannelsLastForward.store(e, 0, ldE, hw, e, 0, ldE, c0, c1, lo1, hi1);
            }
            DepthwiseInPlace.forward(gd, e, eImg, ldE, plan.d.packed, plan.d.oPad, dBias, lo2, hi2, d, 0, 0, oh, c0 / VL, (c1 + VL - 1) / VL);
        });
        int ldP = plan.p.oPad, outOff = img * rowsP * co;
        float[] z = buffer(buffers, 2, roundUp(rowsP) * ldP);
        Parallel.forBlocks(plan.p.panels, blocks, (block, q0, q1) -> {
            ChannelsLastConv.multiply(plan.p, rowsP, d, 0, z, 0, q0, q1);
            storeProjection(z, ldP, rowsP, residual, x, xImg, out, outOff, co, q0 * NR, Math.min(co, q1 * NR));
        });
    }

    /**
     * x at xOff, or its {@code rows} pixel rows copied into a buffer (at 0): the micro-kernel's
     * last sliver reads whole MR-row tiles, past the rows asked for but within the plan's images
     * (later rows repeat its last pixel), which may be past x's end.
     */
    private static float[] tileSafe(Plan plan, float[][] buffers, float[] x, int xOff, int rows, int c) {
        int hw = plan.depthwise.h() * plan.depthwise.w();
        if ((long) xOff + (long) Math.min(roundUp(rows), plan.e.images * hw) * c <= x.length) return x;
        float[] in = buffer(buffers, 3, roundUp(rows) * c);
        System.arraycopy(x, xOff, in, 0, rows * c);
        return in;
    }

    /** The projection's channels [c0, c1) of {@code rows} pixel rows into out, with the residual x added or as they are. */
    private static void storeProjection(float[] z, int ld, int rows, boolean residual, float[] x, int xOff, float[] out, int outOff, int co,
                                        int c0, int c1) {
        if (residual) addStore(z, ld, rows, x, xOff, out, outOff, co, c0, c1);
        else ChannelsLastForward.store(z, 0, ld, rows, out, outOff, co, c0, c1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /**
     * out[outOff + p * co + ch] = z[p * ld + ch] + x[xOff + p * co + ch] for rows p, channels ch in
     * [c0, c1): the residual join, its two operands in either order the same float sum.
     */
    private static void addStore(float[] z, int ld, int rows, float[] x, int xOff, float[] out, int outOff, int co, int c0, int c1) {
        int bound = c0 + (c1 - c0) / VL * VL;
        for (int p = 0; p < rows; p++) {
            int src = p * ld, r = xOff + p * co, dst = outOff + p * co, ch = c0;
            for (; ch < bound; ch += VL)
                FloatVector.fromArray(S, z, src + ch).add(FloatVector.fromArray(S, x, r + ch)).intoArray(out, dst + ch);
            for (; ch < c1; ch++) out[dst + ch] = z[src + ch] + x[r + ch];
        }
    }

    private static int roundUp(int rows) { return (rows + MR - 1) / MR * MR; }

    private static float[] buffer(float[][] buffers, int k, int size) {
        if (buffers[k].length < size) buffers[k] = new float[size];
        return buffers[k];
    }
}
