package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution forward as an implicit GEMM: each image is copied once into a zero-padded
 * channels-last (HWC) buffer, where the receptive field of an output pixel is a few contiguous
 * runs (one per kernel row: kw * c floats). An MR-pixel x 2VL-channel micro-kernel broadcasts the
 * pixels' inputs straight from those runs against the weights, packed once per call (MR as in
 * {@link Gemm#MR}: 6 pixels with AVX-512's 32 vector registers, 4 with AVX2's 16). There is
 * no im2col matrix and no per-image packing: those copies cost about a quarter of the
 * im2col + GEMM convolution.
 *
 * <p>The result of an image is z[pixel][channel] (pixels row-major, {@code oPad} channels per
 * row, bias added), the layout the epilogues ({@link ConvReluPool}, {@link Conv2dKernels#forward})
 * read with channel vectors. Every output is one dot product in a fixed order (kernel row, kernel
 * column, input channel), so results do not depend on the thread count.
 */
final class ChannelsLastConv {
    /** Channels per block of the layout copies: one 64-byte cache line of floats. */
    private static final int BLOCK = 16;
    /** Pixels per tile of the layout copies of planes of {@link #TILED} pixels or more (see {@link #toPlanes}). */
    private static final int TILE = 32, TILED = 256;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int MR = Gemm.MR;
    static final int NR = 2 * VL;
    /**
     * Whether calls of several images on small padded maps take pixel-major slivers ({@link SliverOrder}):
     * with 4-row tiles (AVX2) only, the AVX-512 path (6-row tiles) keeps its image-major order, not measured there.
     */
    static final boolean PIXEL_MAJOR = MR == 4;
    /** Target taps per k block: 256 x 32 floats = 32 KB of weights, within a 48 KB L1. */
    static final int BLOCK_TAPS = 256;
    /** Whether a lone pixel row runs four panels at once ({@link SliverTiles}): AVX2's 16 registers; AVX-512 keeps the pair. */
    static final boolean QUAD_PANELS = Boolean.parseBoolean(System.getProperty("feint.conv.quad", String.valueOf(VL < 16)));
    /** Whether a lone image's split cuts at panel boundaries ({@link #byPanels}); {@code -Dfeint.conv.byPanels=false} for the old cut. */
    static final boolean BY_PANELS = !"false".equals(System.getProperty("feint.conv.byPanels"));

    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> Z = ThreadLocal.withInitial(() -> new float[1][0]);

    private ChannelsLastConv() {}

    /** The weights packed for one call, with the geometry-derived offsets. */
    static final class Plan implements ConvPlan {
        final ConvGeometry g;
        final int oPad, panels, taps, runs, runLen, runsPerBlock, hp, wp, pixels, slivers, images, imageSize;
        final float[] packed, bias, zeros;
        final int[] runOffset;
        final boolean rowRuns, padded;
        /** The image-major order of the plan's images, and the pixel-major orders made so far, by images per call. */
        final SliverOrder order;
        private final SliverOrder[] byCount;
        /** Input offset of each tap (run offset + position in the run), for the flat tap loop. */
        final int[] tapOffset;

        Plan(ConvGeometry g, float[] w, float[] bias) {
            this(g, w, bias, 1);
        }

        /**
         * A plan that computes {@code images} images per {@link #image} call as one pixel matrix:
         * a small output (the 4x4 to 1x1 layers of a ResNet on 32x32) then fills whole micro-kernel
         * slivers instead of padding each image's few pixels up to MR rows.
         */
        Plan(ConvGeometry g, float[] w, float[] bias, int images) {
            this.g = g;
            this.images = images;
            int o = g.o(), c = g.c(), kh = g.kh(), kw = g.kw();
            panels = (o + NR - 1) / NR;
            oPad = panels * NR;
            taps = g.patch();
            hp = g.paddedH();
            wp = g.paddedW();
            // With unit column dilation a kernel row is one contiguous run of kw * c floats.
            boolean rowRuns = g.dilW() == 1;
            runs = rowRuns ? kh : kh * kw;
            runLen = rowRuns ? kw * c : c;
            // Runs per k block: a block's packed weights (~BLOCK_TAPS x NR floats) stay in L1 while
            // every sliver of the image passes over them.
            runsPerBlock = Math.max(1, BLOCK_TAPS / runLen);
            runOffset = new int[runs];
            for (int r = 0; r < runs; r++) {
                int ky = rowRuns ? r : r / kw, kx = rowRuns ? 0 : r % kw;
                runOffset[r] = (ky * g.dilH() * wp + kx * g.dilW()) * c;
            }
            tapOffset = new int[runs * runLen];
            for (int q = 0; q < tapOffset.length; q++) tapOffset[q] = runOffset[q / runLen] + q % runLen;
            pixels = g.outH() * g.outW();
            imageSize = hp * wp * c;
            this.rowRuns = rowRuns;
            order = new SliverOrder(g, MR, images, false, imageSize, wp, rowRuns);
            slivers = order.slivers;
            byCount = new SliverOrder[images + 1];
            padded = hp != g.h() || wp != g.w();
            // packed[panel][tap][lane], taps ordered (ky, kx, channel) as the input runs are.
            packed = new float[panels * taps * NR];
            for (int oc = 0; oc < o; oc++) {
                int dst = (oc / NR) * taps * NR + oc % NR;
                for (int ky = 0, q = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        for (int ch = 0; ch < c; ch++, q++)
                            packed[dst + q * NR] = w[((oc * c + ch) * kh + ky) * kw + kx];
            }
            this.bias = new float[oPad];
            this.zeros = new float[oPad];
            setBias(bias);
        }

        /**
         * The weights regrouped for calls of one image whose pixels fit one sliver (a batch of one on
         * a 1x1 or 2x2 map), made on the first such call; null where {@link LoneRow#of} says.
         */
        private LoneRow lone;
        private boolean loneMade;
        /** Whether the plan is kept across calls ({@link PreparedConv}): a plan made per call would pack its weights twice. */
        boolean kept;

        LoneRow loneRow() {
            if (!kept) return null;
            // Racy but safe: an immutable form, made again at worst.
            if (!loneMade) { lone = LoneRow.of(this, pixels); loneMade = true; }
            return lone;
        }

        /**
         * The order of a call of {@code count} images: pixel-major where {@link #PIXEL_MAJOR}, the
         * map is padded and of several pixels, and count a multiple of MR (else image-major).
         */
        SliverOrder order(int count) {
            if (!PIXEL_MAJOR || !padded || pixels == 1 || count % MR != 0) return order;
            SliverOrder o = byCount[count];
            // Racy but safe: an immutable order, made again at worst.
            if (o == null) byCount[count] = o = new SliverOrder(g, MR, count, true, imageSize, wp, rowRuns);
            return o;
        }

        /**
         * Images per call for g's output: enough for {@link ConvPlan#ROWS} pixel rows, and with
         * {@link #PIXEL_MAJOR} on a small padded map a multiple of MR (pixel-major slivers).
         */
        static int imagesPerCall(ConvGeometry g) {
            int pixels = Math.max(1, g.outH() * g.outW());
            if (pixels >= ConvPlan.ROWS) return 1;
            int images = (ConvPlan.ROWS + pixels - 1) / pixels;
            boolean padded = g.paddedH() != g.h() || g.paddedW() != g.w();
            return PIXEL_MAJOR && padded && pixels > 1 ? (images + MR - 1) / MR * MR : images;
        }

        /** Floats of one call's result z: slivers * MR pixel rows (images * pixels, rounded up) of oPad channels. */
        @Override public int zSize() { return slivers * MR * oPad; }

        @Override public void setBias(float[] b) { ConvPlan.copyBias(b, bias, g.o()); }

        @Override public ConvGeometry g() { return g; }

        @Override public int oPad() { return oPad; }

        @Override public int pixels() { return pixels; }

        @Override public int images() { return images; }

        @Override public void image(float[] x, int n, float[] z, boolean parallel) { image(x, n, 1, z, parallel); }

        @Override public void image(float[] x, int n, int count, float[] z, boolean parallel) {
            ChannelsLastConv.image(this, x, n, count, z, parallel);
        }
    }

    /** The per-thread result buffer for one image. */
    static float[] z(ConvPlan plan) {
        float[][] holder = Z.get();
        if (holder[0].length < plan.zSize()) holder[0] = new float[plan.zSize()];
        return holder[0];
    }

    /**
     * z = conv(x[n .. n + count)) + bias for images n on (count at most the plan's images; image
     * j's pixel rows start at row j * pixels); with {@code parallel} the (panel, sliver) units are
     * spread over the worker threads (for a batch too small to split by image).
     */
    static void image(Plan plan, float[] x, int n, int count, float[] z, boolean parallel) {
        image(plan, x, false, n, count, z, parallel);
    }

    /**
     * As {@link #image(Plan, float[], int, int, float[], boolean)}, x NCHW or, with
     * {@code channelsLast}, [n][h][w][c]: then an unpadded convolution reads x where it is, and
     * a padded one copies whole pixel rows.
     */
    static void image(Plan plan, float[] x, boolean channelsLast, int n, int count, float[] z, boolean parallel) {
        image(plan, x, channelsLast, n, count, z, parallel, null);
    }

    /** What a call does with output channels [c0, c1) of its result zc once they are computed (the caller's epilogue). */
    @FunctionalInterface
    interface Done {
        void channels(float[] zc, int c0, int c1);
    }

    /**
     * As {@link #image(Plan, float[], boolean, int, int, float[], boolean)}, then {@code done} (if
     * not null) for every output channel, once.
     *
     * <p>A split by panels (or by {@link LoneRow} groups) then keeps each thread's data in its own
     * cache ({@link #OWN_COPIES}): each thread makes its own padded copy of a channels-last input,
     * computes its blocks into its own z buffer ({@link #z}; z itself for the caller) and runs
     * {@code done} for their channels right after. Before, the caller copied the input once for both threads
     * and read the worker's results back: every cache line of the padded input and of the
     * worker's z crossed between the two cores in each call (the caller's copy took back the lines
     * the worker had read, at ~65 ns a transfer on this kind of VM), and the two threads' z rows
     * shared lines (an array's data is not line-aligned). On resnet18's 8x8 layer1 conv at batch
     * 1 on 2 threads the padded copy took 4 us instead of 0.7 and each thread's half 20-22 us
     * instead of 17 (docs/runs/r18b1v-2026-12-04). The sums are the same whichever copy is read.
     */
    static void image(Plan plan, float[] x, boolean channelsLast, int n, int count, float[] z, boolean parallel, Done done) {
        ConvGeometry g = plan.g;
        if (count < 1 || count > plan.images) throw new IllegalArgumentException("images per call " + count + " not in [1, " + plan.images + "]");
        boolean unpadded = g.paddedH() == g.h() && g.paddedW() == g.w();
        // Only the slivers holding the count images' rows: a batch of one in a plan for 48 1x1 images is one sliver, not eight.
        SliverOrder order = plan.order(count);
        int live = Math.min(order.slivers, (count * plan.pixels + MR - 1) / MR);
        int lastImage = Math.min(live * MR, plan.images * plan.pixels) - 1;
        lastImage = lastImage / plan.pixels;
        // In place only when the rows past the last pixel (they repeat a later image's) still index inside x.
        boolean inPlace = channelsLast && unpadded && (long) (n + lastImage + 1) * plan.imageSize <= x.length;
        int inOff = inPlace ? n * plan.imageSize : 0, units = plan.panels * live, rows = count * plan.pixels;
        LoneRow lone = count == 1 && plan.pixels <= MR ? plan.loneRow() : null;
        boolean panelSplit = lone == null && parallel && byPanels(plan.panels, live);
        boolean groupSplit = lone != null && parallel && lone.groups > 1;
        if ((panelSplit || groupSplit) && done != null && OWN_COPIES) {
            // Each thread's own input copy (made once per call by the first block it runs) and its own z. An
            // NCHW input (a network's first layer) is transposed by the copy: there the caller's one copy is shared
            // (two transposes cost more than the crossing saves), the results still kept on their thread.
            Object call = new Object();
            float[] shared = inPlace || channelsLast ? null : padded(plan, x, false, n, count);
            int o = g.o();
            Parallel.RangeBody body = (block, from, to) -> {
                float[] in = inPlace ? x : shared != null ? shared : ownCopy(call, plan, x, channelsLast, n, count), zb = z(plan);
                if (groupSplit) lone.groups(plan, order, in, inOff, zb, from, to);
                else SliverTiles.run(plan, order, live, rows, in, inOff, zb, 0, from * live, to * live);
                int c0 = groupSplit ? lone.firstChannel(from) : from * NR, c1 = groupSplit ? lone.firstChannel(to) : to * NR;
                done.channels(zb, Math.min(o, c0), Math.min(o, c1));
            };
            if (groupSplit) Parallel.forBlocks(lone.groups, lone.groups, body);
            else Parallel.forBlocks(plan.panels, Math.min(plan.panels, 4 * Parallel.threads()), body);
            return;
        }
        float[] in = inPlace ? x : padded(plan, x, channelsLast, n, count);
        if (lone != null) {
            if (groupSplit) Parallel.forBlocks(lone.groups, lone.groups, (block, from, to) -> lone.groups(plan, order, in, inOff, z, from, to));
            else lone.groups(plan, order, in, inOff, z, 0, lone.groups);
        } else if (panelSplit)
            // Whole panels per block: each thread streams only its panels' weights from L3 (a block
            // cut across a panel had both threads read that panel), still claimed as they come.
            Parallel.forBlocks(plan.panels, Math.min(plan.panels, 4 * Parallel.threads()),
                    (block, from, to) -> SliverTiles.run(plan, order, live, rows, in, inOff, z, 0, from * live, to * live));
        else if (parallel && Parallel.chunks(units, 1) > 1)
            // A few blocks per thread, claimed as they come: a worker whose vCPU is taken holds up one block.
            Parallel.forBlocks(units, 4 * Parallel.threads(), (block, from, to) -> SliverTiles.run(plan, order, live, rows, in, inOff, z, 0, from, to));
        else
            SliverTiles.run(plan, order, live, rows, in, inOff, z, 0, 0, units);
        if (done != null) done.channels(z, 0, g.o());
    }

    /**
     * Whether a split call with an epilogue keeps each thread's input copy, z and stores on that thread
     * ({@code -Dfeint.conv.ownCopies=false}: one copy by the caller, one z, the epilogue after the split, as before).
     */
    static final boolean OWN_COPIES = !"false".equals(System.getProperty("feint.conv.ownCopies"));

    /** The call each thread's {@link #PADDED} buffer was last filled for (an identity token). */
    private static final ThreadLocal<Object[]> COPIED = ThreadLocal.withInitial(() -> new Object[1]);

    /** This thread's padded copy of the input for {@code call}, made by its first block of the call. */
    private static float[] ownCopy(Object call, Plan plan, float[] x, boolean channelsLast, int n, int count) {
        Object[] last = COPIED.get();
        if (last[0] == call) return PADDED.get()[0];
        float[] in = padded(plan, x, channelsLast, n, count);
        last[0] = call;
        return in;
    }

    /**
     * Images [n, n + count) of x copied into this thread's padded channels-last buffer (the padding
     * zeroed), image j at j * imageSize. Rows of absent images (count < images) hold whatever the
     * buffer held: never written out.
     */
    private static float[] padded(Plan plan, float[] x, boolean channelsLast, int n, int count) {
        ConvGeometry g = plan.g;
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w;
        float[][] holder = PADDED.get();
        int size = plan.imageSize * plan.images;
        if (holder[0].length < size) holder[0] = new float[size];
        float[] in = holder[0];
        // A copy made for another call is overwritten now: its token must not match a later call's.
        COPIED.get()[0] = null;
        for (int j = 0; j < count; j++) {
            int img = j * plan.imageSize;
            zeroBorder(in, img, g.padTop(), g.padLeft(), h, w, plan.hp, plan.wp, c);
            if (channelsLast)
                for (int y = 0; y < h; y++)
                    System.arraycopy(x, ((n + j) * hw + y * w) * c, in, img + ((y + g.padTop()) * plan.wp + g.padLeft()) * c, w * c);
            else fromPlanes(x, (n + j) * c * hw, c, h, w, in, img + (g.padTop() * plan.wp + g.padLeft()) * c, plan.wp * c);
        }
        return in;
    }

    /** Whether a split call cuts its (panel, sliver) units at panel boundaries only: panels for every thread, several slivers each. */
    static boolean byPanels(int panels, int live) {
        return BY_PANELS && live > 1 && panels >= Parallel.threads() && Parallel.threads() > 1;
    }

    /**
     * Zeros the padding of one padded image at buf[off]: hp x wp pixels of {@code lanes} floats,
     * the h x w interior starting at (top, left) left as it is (the caller overwrites it).
     */
    static void zeroBorder(float[] buf, int off, int top, int left, int h, int w, int hp, int wp, int lanes) {
        int row = wp * lanes;
        java.util.Arrays.fill(buf, off, off + top * row, 0f);
        java.util.Arrays.fill(buf, off + (top + h) * row, off + hp * row, 0f);
        if (left == 0 && wp == w) return;
        for (int y = top; y < top + h; y++) {
            int r = off + y * row;
            java.util.Arrays.fill(buf, r, r + left * lanes, 0f);
            java.util.Arrays.fill(buf, r + (left + w) * lanes, r + row, 0f);
        }
    }

    /**
     * z[zOff + pixel row][channel] = sum over the taps of in[inOff + pixelBase + tap] x weights: the
     * product of an already laid-out channels-last input (a 1x1 plan: [pixel][channel] rows) with the
     * packed weights, without the padded copy of {@link #image}.
     */
    static void multiply(Plan plan, float[] in, int inOff, float[] z, int zOff) {
        multiply(plan, plan.images * plan.pixels, in, inOff, z, zOff);
    }

    /** As {@link #multiply(Plan, float[], int, float[], int)} for the first {@code rows} pixel rows only (the slivers holding them). */
    static void multiply(Plan plan, int rows, float[] in, int inOff, float[] z, int zOff) {
        multiply(plan, rows, in, inOff, z, zOff, 0, plan.panels);
    }

    /**
     * As {@link #multiply(Plan, int, float[], int, float[], int)} for the output channels of panels
     * [panel0, panel1) only (NR channels each): a lone image's 1x1 split over the threads by output
     * channel, each thread reading only its panels' weights. A unit's sums do not depend on the
     * range it is run in, so the bits do not either.
     */
    static void multiply(Plan plan, int rows, float[] in, int inOff, float[] z, int zOff, int panel0, int panel1) {
        int live = Math.min(plan.slivers, (rows + MR - 1) / MR);
        SliverTiles.run(plan, plan.order, live, rows, in, inOff, z, zOff, panel0 * live, panel1 * live);
    }

    /**
     * out[outOff + channel plane][pixel] = z[pixel][channel] (ReLU'd if asked): back to NCHW. Plain
     * loads and stores: a vector scatter across the planes measured ~100 cycles per vector here.
     */
    static void toPlanes(ConvPlan plan, float[] z, float[] out, int outOff, boolean relu) {
        toPlanes(plan, z, 0, out, outOff, relu);
    }

    /**
     * As {@link #toPlanes(ConvPlan, float[], float[], int, boolean)} from z's pixel rows at zOff.
     * Channels in blocks of one cache line, so each z line is read once. Small planes go pixel by
     * pixel across the block (BLOCK sequential store streams); from {@link #TILED} pixels on, in
     * tiles of TILE pixels, channel by channel: a plane is then 1 KB or more, and at 1024 pixels
     * (32 x 32) the block's streams are 4 KB apart, all in one L1 set, which made the pixel-by-pixel
     * copy 5x slower (preact-resnet18's recorded first stage). The tile's z lines stay in L1 for
     * the block's channels, and each plane gets a run of TILE floats at a time.
     */
    static void toPlanes(ConvPlan plan, float[] z, int zOff, float[] out, int outOff, boolean relu) {
        int o = plan.g().o(), pixels = plan.pixels(), ld = plan.oPad();
        for (int c0 = 0; c0 < o; c0 += BLOCK) {
            int c1 = Math.min(o, c0 + BLOCK);
            if (pixels < TILED)
                for (int p = 0, src = zOff; p < pixels; p++, src += ld)
                    for (int ch = c0, dst = outOff + c0 * pixels + p; ch < c1; ch++, dst += pixels) {
                        float v = z[src + ch];
                        out[dst] = relu ? (v > 0f ? v : 0f) : v;
                    }
            else
                for (int p0 = 0; p0 < pixels; p0 += TILE) {
                    int p1 = Math.min(pixels, p0 + TILE);
                    for (int ch = c0; ch < c1; ch++)
                        for (int p = p0, src = zOff + p0 * ld + ch, dst = outOff + ch * pixels + p0; p < p1; p++, src += ld, dst++) {
                            float v = z[src];
                            out[dst] = relu ? (v > 0f ? v : 0f) : v;
                        }
                }
        }
    }

    /** out[outOff + channel plane][pixel] += z[zOff + pixel][channel] (a gradient accumulated in NCHW), in the order of {@link #toPlanes}. */
    static void addToPlanes(ConvPlan plan, float[] z, int zOff, float[] out, int outOff) {
        int o = plan.g().o(), pixels = plan.pixels(), ld = plan.oPad();
        for (int c0 = 0; c0 < o; c0 += BLOCK) {
            int c1 = Math.min(o, c0 + BLOCK);
            if (pixels < TILED)
                for (int p = 0, src = zOff; p < pixels; p++, src += ld)
                    for (int ch = c0, dst = outOff + c0 * pixels + p; ch < c1; ch++, dst += pixels) out[dst] += z[src + ch];
            else
                for (int p0 = 0; p0 < pixels; p0 += TILE) {
                    int p1 = Math.min(pixels, p0 + TILE);
                    for (int ch = c0; ch < c1; ch++)
                        for (int p = p0, src = zOff + p0 * ld + ch, dst = outOff + ch * pixels + p0; p < p1; p++, src += ld, dst++) out[dst] += z[src];
                }
        }
    }

    /**
     * in[inOff + y * ld + x * c + ch] = x[xOff + ch plane][y][x]: one NCHW image into channels-last
     * pixel rows {@code ld} floats apart, in channel blocks of one cache line and, from
     * {@link #TILED} pixels on, tiles of up to TILE pixels of a row, as {@link #toPlanes}.
     */
    static void fromPlanes(float[] x, int xOff, int c, int h, int w, float[] in, int inOff, int ld) {
        int hw = h * w;
        for (int c0 = 0; c0 < c; c0 += BLOCK) {
            int c1 = Math.min(c, c0 + BLOCK);
            for (int y = 0; y < h; y++)
                if (hw < TILED)
                    for (int xx = 0, dst = inOff + y * ld + c0, src = xOff + c0 * hw + y * w; xx < w; xx++, dst += c, src++)
                        for (int ch = c0, d = dst, s = src; ch < c1; ch++, d++, s += hw) in[d] = x[s];
                else
                    for (int x0 = 0; x0 < w; x0 += TILE) {
                        int x1 = Math.min(w, x0 + TILE);
                        for (int ch = c0; ch < c1; ch++)
                            for (int xx = x0, d = inOff + y * ld + x0 * c + ch, s = xOff + ch * hw + y * w + x0; xx < x1; xx++, d += c, s++) in[d] = x[s];
                    }
        }
    }
}
