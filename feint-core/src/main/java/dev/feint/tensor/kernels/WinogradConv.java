package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution forward by Winograd's minimal filtering (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", arXiv:1509.09308) on 6x6 input tiles: F(2x2, 5x5) for 5x5 kernels
 * and F(4x4, 3x3) for 3x3 kernels. Each m x m block of outputs comes from a 6x6 input tile d as
 * {@code A^T [sum over channels (G g G^T) . (B^T d B)] A}: 36 products per block and input channel
 * instead of 100 (5x5, m = 2) or 144 (3x3, m = 4). The sums over channels are 36 small products
 * (tiles x c times c x o), one per tile element, run on {@link ChannelsLastConv}'s micro-kernel as
 * 1x1 convolutions over a channels-last [tile][channel] matrix; a small map's plan takes several
 * images per call so those products have rows enough. Interpolation points 0, 1, -1, 2, -2 and
 * infinity for both (so one input transform, {@link WinogradTiles}); the matrices were derived by
 * Toom-Cook and checked in exact arithmetic.
 *
 * <p>Used for stride-1, undilated 5x5 and 3x3 convolutions with at least 16 input and output
 * channels (fewer channels leave the products too small to pay for the transforms): madry-cnn's
 * conv2, a ResNet's 3x3 layers on maps of 4x4 and more (their forward with prepared weights or in
 * inference, not a training step's: {@link ConvPlan#unprepared}), and the input gradients of both
 * (a stride-1 convolution themselves); see {@link #pays} for batch 1. With 5x5 kernels a call
 * takes MR images interleaved lane by lane (see {@link #interleaves}). Numerics: not the direct sum bit for bit; the largest difference from a
 * double-precision reference is about 1e-5 of the output scale for 5x5 and a few 1e-6 for 3x3
 * (the direct kernel: about 3e-7), see {@code WinogradConvTest}. {@link #setEnabled} turns it off
 * for callers who want the direct sum. Results do not depend on the thread count or on the images
 * computed together.
 */
final class WinogradConv implements ConvPlan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Tile side (m + r - 1). */
    private static final int T = WinogradTiles.T;
    /** G (6 x 5): the 5x5 filter transform, with the interpolation denominators. */
    static final double[][] G = {
        {1 / 4.0, 0, 0, 0, 0},
        {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0},
        {1 / 6.0, -1 / 6.0, 1 / 6.0, -1 / 6.0, 1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0, 1 / 3.0, 2 / 3.0},
        {1 / 24.0, -1 / 12.0, 1 / 6.0, -1 / 3.0, 2 / 3.0},
        {0, 0, 0, 0, 1}};

    /** On unless the system property {@code feint.winograd} is {@code false}. */
    private static volatile boolean enabled = enabledByDefault(System.getProperty("feint.winograd"));

    private static boolean enabledByDefault(String value) {
        if (value == null || value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        // A class initialiser cannot report a user error cleanly: say it once and go on.
        System.err.println("feint: ignoring -Dfeint.winograd=" + value + " (expected true or false); using true");
        return true;
    }

    private final ConvGeometry g;
    /** Kernel side r and output block side m = T - r + 1. */
    private final int r, m;
    private final WinogradTiles tiling;
    private final int tilesW, oPad, pixels;
    /** Tiles per block: transformed, multiplied and transformed back before the next block's. */
    private final int block;
    /** Whether a split call cuts the tiles, not the products, over the threads ({@link #TILE_SPLIT}). */
    private final boolean tileSplit;
    /** One 1x1 plan per tile element xi: the transformed weights U[xi] (o x cPad), packed. */
    private final ChannelsLastConv.Plan[] products = new ChannelsLastConv.Plan[T * T];
    private final float[] bias;
    /**
     * Images a call interleaves into packed slivers ({@link #interleaves}): MR, or 1 for none. Then
     * the tiles of {@code grouped} (one input of MR images) go in blocks of {@code groupBlock}.
     */
    private final int group, groupBlock;
    private final WinogradTiles grouped;

    /** Turns the Winograd path on or off for later calls (see {@link Conv2dKernels#setWinograd}). */
    static void setEnabled(boolean on) { enabled = on; }

    static boolean enabled() { return enabled; }

    static boolean applies(ConvGeometry g) {
        return enabled && g.kh() == g.kw() && (g.kh() == 5 || g.kh() == 3) && g.strideH() == 1 && g.strideW() == 1
                && g.dilH() == 1 && g.dilW() == 1 && g.c() >= 16 && g.o() >= 16 && g.groups() == 1;
    }

    /** Whether {@link WinogradWeightGrad} computes g's weight gradient (5x5 only). */
    static boolean appliesToWeightGradient(ConvGeometry g) { return applies(g) && g.kh() == 5; }

    /** Tile rows one product should have at least: 8 six-row slivers, as {@link ConvPlan#ROWS}. */
    private static final int ROWS = 48;

    /**
     * Whether Winograd is the faster engine for g (it {@link #applies}): a 3x3 output of at least
     * 4x4 (smaller maps fill too little of the 6x6 tiles), and a batch of at least 4 tiles. At batch
     * 1 on a 4x4 map the products are matrix-vector products that stream the transformed weights,
     * 4x the direct kernel's, so the direct kernel is faster there: such a layer's results then
     * differ in rounding between batch 1 and larger batches (never with the thread count).
     */
    static boolean pays(ConvGeometry g) {
        if (g.kh() == 5) return true;
        if (g.outH() < 4 || g.outW() < 4) return false;
        return (long) g.n() * ((g.outH() + 3) / 4) * ((g.outW() + 3) / 4) >= 4;
    }

    /** Floats between the rows of two tile elements past the rows themselves (see {@link #image(float[], boolean, int, int, float[], int, boolean)}). */
    private static final int SKEW = 16;

    /** Floats of V and Z for one block of tiles, at most: with U, within a 1 MiB L2. */
    private static final int BLOCK_FLOATS = 96 * 1024;

    /**
     * Whether the plan for g takes MR images per call interleaved lane by lane, so that each
     * tile's V is the MR images' rows of a packed sliver and the 36 products run on {@link
     * MicroKernels#wide} (on AVX-512 two tiles' slivers per call, {@link MicroKernels#wide12}): a
     * 5x5 kernel (its products sum over few channels: madry-cnn's 32, where the 1x1-conv kernel's
     * per-call overhead held the products at a third of the GEMM tile's rate). On both tiles: on
     * the 6-row tile (AVX-512), with conv1's 5-tap weight-gradient tiles, madry-cnn's training step at
     * batch 128 went from 92.4-94.8 to 83.4-91.2 ms on one thread (docs/runs/trainshare-2026-12-03/summary.txt). The same bits either way. The system property
     * {@code feint.winograd.interleave=false} turns it off.
     */
    static boolean interleaves(ConvGeometry g) { return INTERLEAVE && g.kh() == 5; }

    private static final boolean INTERLEAVE = !"false".equals(System.getProperty("feint.winograd.interleave"));

    /** Whether the interleaved products take two tiles' slivers per call ({@link MicroKernels#wide12}); {@code feint.winograd.paired=false} turns it off. */
    static final boolean PAIRED = Gemm.MR == 6 && !"false".equals(System.getProperty("feint.winograd.paired"));

    WinogradConv(ConvGeometry g, float[] w, float[] bias) { this(g, w, bias, interleaves(g)); }

    /** As {@link #WinogradConv(ConvGeometry, float[], float[])}, interleaving MR images per call or not (tests force both). */
    WinogradConv(ConvGeometry g, float[] w, float[] bias, boolean interleave) {
        if (!applies(g)) throw new IllegalArgumentException("Winograd does not apply to " + g);
        this.g = g;
        r = g.kh();
        m = T - r + 1;
        int o = g.o();
        int imageTiles = new WinogradTiles(g, m).imageTiles;
        tiling = new WinogradTiles(g, m, (ROWS + imageTiles - 1) / imageTiles);
        tilesW = tiling.tilesW;
        int cPad = tiling.cPad, oRound = (o + ChannelsLastConv.NR - 1) / ChannelsLastConv.NR * ChannelsLastConv.NR;
        pixels = g.outH() * g.outW();
        // Tiles in blocks whose V and Z stay in L2 with U, where U itself fits there (few channels,
        // large maps); else U is streamed once per call and all the call's tiles share it.
        int perBlock = BLOCK_FLOATS / (T * T * (cPad + oRound)) / ChannelsLastConv.MR * ChannelsLastConv.MR;
        tileSplit = TILE_SPLIT && r == 5;
        block = (long) T * T * cPad * oRound <= BLOCK_FLOATS * 2L ? Math.max(ChannelsLastConv.MR, Math.min(tiling.tiles, perBlock)) : tiling.tiles;
        float[][] u = r == 5 ? transformWeights5(g, w, cPad) : transformWeights3(g, w, cPad);
        ConvGeometry product = new ConvGeometry(1, cPad, 1, block, o, 1, 1, 1, 1, 0, 0, 1, 1);
        // Packed on the worker threads as the weights were transformed: a training step prepares every
        // layer's input-gradient plan anew (its weights change), serially 5% of preact-resnet18's step.
        Parallel.forRange(T * T, Parallel.grain((long) cPad * o), (chunk, from, to) -> {
            for (int xi = from; xi < to; xi++) products[xi] = new ChannelsLastConv.Plan(product, u[xi], null);
        });
        oPad = products[0].oPad();
        this.bias = new float[oPad];
        setBias(bias);
        group = interleave ? ChannelsLastConv.MR : 1;
        grouped = interleave ? new WinogradTiles(g, m, 1, group) : null;
        groupBlock = interleave ? Math.max(1, Math.min(grouped.tiles, GROUP_BLOCK_FLOATS / (T * T * (grouped.lanes + group * oPad)))) : 0;
    }

    /** Floats of V and Z for one block of interleaved tiles, at most: with U (36 x cPad x oPad), within a 512 KiB L2. */
    private static final int GROUP_BLOCK_FLOATS = 48 * 1024;

    /** U[xi][oc][ch] = (G g G^T)[xi] for each 5x5 filter g = w[oc][ch], in double, rounded once. */
    private static float[][] transformWeights5(ConvGeometry g, float[] w, int cPad) {
        int o = g.o(), c = g.c();
        float[][] u = new float[T * T][o * cPad];
        Parallel.forRange(o, Parallel.grain(c * 250L), (chunk, from, to) -> {
            double[] gk = new double[T * 5], row = new double[T];
            for (int oc = from; oc < to; oc++)
                for (int ch = 0; ch < c; ch++) {
                    int base = (oc * c + ch) * 25, at = oc * cPad + ch;
                    for (int kx = 0; kx < 5; kx++)                    // G down each column: gk[i][kx]
                        applyG(w[base + kx], w[base + 5 + kx], w[base + 10 + kx], w[base + 15 + kx], w[base + 20 + kx], gk, kx, 5);
                    for (int i = 0; i < T; i++) {                     // G along each row: U[i][j]
                        int q = i * 5;
                        applyG(gk[q], gk[q + 1], gk[q + 2], gk[q + 3], gk[q + 4], row, 0, 1);
                        for (int j = 0; j < T; j++) u[i * T + j][at] = (float) row[j];
                    }
                }
        });
        return u;
    }

    /** dst[off + i * stride] = (G a)[i], i = 0..5, with G's rows written out (no table lookups). */
    private static void applyG(double a0, double a1, double a2, double a3, double a4, double[] dst, int off, int stride) {
        double even = a0 + a2 + a4, odd = a1 + a3;
        double e2 = a0 / 24 + a2 / 6 + a4 * (2 / 3.0), o2 = a1 / 12 + a3 / 3;
        dst[off] = a0 / 4;
        dst[off + stride] = (even + odd) / 6;
        dst[off + 2 * stride] = (even - odd) / 6;
        dst[off + 3 * stride] = e2 + o2;
        dst[off + 4 * stride] = e2 - o2;
        dst[off + 5 * stride] = a4;
    }

    /** As {@link #transformWeights5} for 3x3 filters. */
    private static float[][] transformWeights3(ConvGeometry g, float[] w, int cPad) {
        int o = g.o(), c = g.c();
        float[][] u = new float[T * T][o * cPad];
        Parallel.forRange(o, Parallel.grain(c * 120L), (chunk, from, to) -> {
            double[] gk = new double[T * 3], row = new double[T];
            for (int oc = from; oc < to; oc++)
                for (int ch = 0; ch < c; ch++) {
                    int base = (oc * c + ch) * 9, at = oc * cPad + ch;
                    for (int kx = 0; kx < 3; kx++) applyG3(w[base + kx], w[base + 3 + kx], w[base + 6 + kx], gk, kx, 3);
                    for (int i = 0; i < T; i++) {
                        int q = i * 3;
                        applyG3(gk[q], gk[q + 1], gk[q + 2], row, 0, 1);
                        for (int j = 0; j < T; j++) u[i * T + j][at] = (float) row[j];
                    }
                }
        });
        return u;
    }

    /** dst[off + i * stride] = (G3 a)[i]: G3's rows are the points' powers (1, p, p^2) with G's denominators. */
    private static void applyG3(double a0, double a1, double a2, double[] dst, int off, int stride) {
        double even = a0 + a2, e2 = a0 / 24 + a2 / 6, o2 = a1 / 12;
        dst[off] = a0 / 4;
        dst[off + stride] = (even + a1) / 6;
        dst[off + 2 * stride] = (even - a1) / 6;
        dst[off + 3 * stride] = e2 + o2;
        dst[off + 4 * stride] = e2 - o2;
        dst[off + 5 * stride] = a2;
    }

    @Override public void setBias(float[] b) { ConvPlan.copyBias(b, bias, g.o()); }

    @Override public ConvGeometry g() { return g; }

    @Override public int oPad() { return oPad; }

    @Override public int pixels() { return pixels; }

    @Override public int zSize() { return images() * pixels * oPad; }

    @Override public int images() { return group > 1 ? group : tiling.images; }

    /** Per-thread buffers: padded channels-last input, transformed tiles V, products Z, a tile scratch. */
    private static final class Buffers {
        private float[] in = new float[0], v = new float[0], z = new float[0];
        final float[] tile = new float[T * T * VL];

        float[] in(int size) { return in.length >= size ? in : (in = new float[size]); }

        float[] v(int size) { return v.length >= size ? v : (v = new float[size]); }

        float[] z(int size) { return z.length >= size ? z : (z = new float[size]); }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public void image(float[] x, int n, float[] z, boolean parallel) { image(x, false, n, 1, z, parallel); }

    @Override
    public void image(float[] x, int n, int count, float[] z, boolean parallel) { image(x, false, n, count, z, parallel); }

    /** As {@link #image(float[], int, int, float[], boolean)}, x NCHW or, with {@code channelsLast}, [n][h][w][c]. */
    void image(float[] x, boolean channelsLast, int n, int count, float[] z, boolean parallel) {
        if (count < 1 || count > images()) throw new IllegalArgumentException("images per call " + count + " not in [1, " + images() + "]");
        if (count == group && group > 1) interleaved(x, channelsLast, n, z, parallel);
        // Fewer images than a group (a batch's last call, or batch 1): image by image, the same bits.
        else for (int j = 0; j < count; j += tiling.images)
            image(x, channelsLast, n + j, Math.min(tiling.images, count - j), z, j * pixels * oPad, parallel);
    }

    /** The {@link #group} images from n, interleaved: the products on packed slivers of V, one per tile. */
    private void interleaved(float[] x, boolean channelsLast, int n, float[] z, boolean parallel) {
        Buffers b = BUFFERS.get();
        // One cache line past each tile element's rows, as in the image-by-image path: a block's rows
        // of V were 1.5 KiB (conv2's forward) or 3 KiB (its input gradient) apart, the 36 of them in 8 or 4 L1 sets.
        int lanes = grouped.lanes, vStride = groupBlock * lanes + SKEW, zStride = groupBlock * group * oPad + SKEW, tiles = grouped.tiles;
        float[] v = b.v(T * T * vStride), prod = b.z(T * T * zStride), in = b.in(grouped.inSize());
        grouped.pad(x, channelsLast, n, group, in);
        for (int t0 = 0; t0 < tiles; t0 += groupBlock) {
            int t1 = Math.min(tiles, t0 + groupBlock), count = t1 - t0;
            grouped.transform(in, t0, t1, b.tile, v, vStride);
            if (parallel && Parallel.chunks(T * T, 1) > 1)
                Parallel.forEachItem(T * T, xi -> slivers(xi, count, v, xi * vStride, prod, xi * zStride));
            else
                for (int xi = 0; xi < T * T; xi++) slivers(xi, count, v, xi * vStride, prod, xi * zStride);
            for (int t = t0; t < t1; t++) {
                int ty = t / tilesW, tx = t % tilesW;
                for (int j = 0; j < group; j++)
                    for (int ov = 0; ov < oPad; ov += VL) outputTile(prod, ((t - t0) * group + j) * oPad + ov, zStride, b.tile, ov, z, j * pixels * oPad, ty, tx);
            }
        }
    }

    /** Z[xi] = V[xi] U[xi] for {@code tiles} packed slivers of V (group rows, cPad steps each), U[xi] packed in panels of NR. */
    private void slivers(int xi, int tiles, float[] v, int vOff, float[] prod, int zOff) {
        float[] u = products[xi].packed;
        int cPad = grouped.cPad, lanes = grouped.lanes, nr = ChannelsLastConv.NR, panels = oPad / nr;
        int t = 0;
        if (PAIRED && group == Gemm.MR && nr == Gemm.NR)     // two tiles' slivers per call: their Z rows are adjacent
            for (; t + 2 <= tiles; t += 2)
                for (int p = 0; p < panels; p++)
                    MicroKernels.wide12(cPad, v, vOff + t * lanes, vOff + (t + 1) * lanes, u, p * cPad * nr, prod, zOff + t * group * oPad + p * nr, oPad, false);
        for (; t < tiles; t++)
            for (int p = 0; p < panels; p++)
                MicroKernels.wide(cPad, v, vOff + t * lanes, u, p * cPad * nr, prod, zOff + t * group * oPad + p * nr, oPad, false);
    }

    /**
     * Images [n, n + count) (count at most tiling.images), tile by tile through the 1x1-conv products; z from zOff.
     * Split over the threads, each thread takes whole blocks of tiles ({@link #tileBlocks}) through the transform, the
     * 36 products and the output transform in its own buffers: split by tile element instead (one hand-off per block
     * of tiles), the transforms ran on the caller alone and each product's V and Z rows crossed between the cores'
     * caches, and madry-cnn's conv2 at batch 1 ran 101 us on two threads against 106 on one. A tile's products do
     * not depend on the tiles beside it in a block (each row's sum over the channels is its own FMA chain), so the
     * cut changes no bit.
     */
    private void image(float[] x, boolean channelsLast, int n, int count, float[] z, int zOff, boolean parallel) {
        float[] in = BUFFERS.get().in(tiling.inSize());
        tiling.pad(x, channelsLast, n, count, in);
        int tiles = count * tiling.imageTiles, slivers = (tiles + ChannelsLastConv.MR - 1) / ChannelsLastConv.MR;
        if (parallel && tileSplit && Parallel.chunks(slivers, 1) > 1)
            Parallel.forBlocks(slivers, tileBlocks(slivers), (blk, s0, s1) ->
                    tiles(in, s0 * ChannelsLastConv.MR, Math.min(tiles, s1 * ChannelsLastConv.MR), z, zOff, false));
        else tiles(in, 0, tiles, z, zOff, parallel);
    }

    /**
     * Whether a split call cuts its tiles over the threads (else its products by tile element): 5x5 kernels only, whose
     * U (36 x cPad x oPad, madry-cnn's conv2 288 KiB) each thread can hold in its L2; a ResNet's 3x3 U is streamed, and
     * there each thread should read only its part of it. {@code feint.winograd.tileSplit=false} turns it off.
     */
    static final boolean TILE_SPLIT = !"false".equals(System.getProperty("feint.winograd.tileSplit"));

    /** Blocks per thread of a tile split: several, so a worker whose vCPU is taken holds up one ({@code feint.winograd.tileBlocks}). */
    private static final int TILE_BLOCKS = Math.max(1, Integer.getInteger("feint.winograd.tileBlocks", 2));

    /** Whether a split call of this plan cuts its tiles over the threads (tests). */
    boolean splitsTiles() { return tileSplit; }

    /** Blocks of whole six-tile slivers a tile split cuts {@code slivers} into. */
    static int tileBlocks(int slivers) { return Math.min(slivers, TILE_BLOCKS * Parallel.threads()); }

    /** Tiles [from, to) of the padded input in, in blocks of at most {@link #block}, into z from zOff; the products split by tile element if parallel. */
    private void tiles(float[] in, int from, int to, float[] z, int zOff, boolean parallel) {
        Buffers b = BUFFERS.get();
        // One cache line past each tile element's rows: at a multiple of 1 KiB or so the 36 rows of a
        // tile's transform (written) and of its products (read back) fell in a few L1 sets.
        int cPad = tiling.cPad, vStride = block * cPad + SKEW, zStride = products[0].zSize() + SKEW;
        float[] v = b.v(T * T * vStride), prod = b.z(T * T * zStride);
        for (int t0 = from; t0 < to; t0 += block) {
            int t1 = Math.min(to, t0 + block), rows = t1 - t0;
            tiling.transform(in, t0, t1, b.tile, v, vStride);
            if (parallel && Parallel.chunks(T * T, 1) > 1)
                // One product at a time, claimed as they come: a worker whose vCPU is taken holds up one.
                Parallel.forEachItem(T * T, xi -> ChannelsLastConv.multiply(products[xi], rows, v, xi * vStride, prod, xi * zStride));
            else
                for (int xi = 0; xi < T * T; xi++) ChannelsLastConv.multiply(products[xi], rows, v, xi * vStride, prod, xi * zStride);
            for (int t = t0; t < t1; t++) {
                int j = t / tiling.imageTiles, q = t % tiling.imageTiles, ty = q / tilesW, tx = q % tilesW, zImage = zOff + j * pixels * oPad;
                for (int ov = 0; ov < oPad; ov += VL) outputTile(prod, (t - t0) * oPad + ov, zStride, b.tile, ov, z, zImage, ty, tx);
            }
        }
    }

    private void outputTile(float[] prod, int off, int zStride, float[] s, int ov, float[] z, int zOff, int ty, int tx) {
        if (m == 2) outputTile2(prod, off, zStride, s, ov, z, zOff, ty, tx);
        else outputTile4(prod, off, zStride, s, ov, z, zOff, ty, tx);
    }

    /**
     * The 2x2 outputs of one tile for one vector of output channels (5x5): A^T down the columns of
     * the 36 products into the scratch, A^T along the rows, plus the bias, into z (inside the output only).
     */
    private void outputTile2(float[] prod, int off, int zStride, float[] s, int ov, float[] z, int zOff, int ty, int tx) {
        for (int j = 0; j < T; j++) {
            int p = off + j * zStride;
            FloatVector m0 = FloatVector.fromArray(S, prod, p), m1 = FloatVector.fromArray(S, prod, p + T * zStride);
            FloatVector m2 = FloatVector.fromArray(S, prod, p + 2 * T * zStride), m3 = FloatVector.fromArray(S, prod, p + 3 * T * zStride);
            FloatVector m4 = FloatVector.fromArray(S, prod, p + 4 * T * zStride), m5 = FloatVector.fromArray(S, prod, p + 5 * T * zStride);
            m0.add(m1).add(m2).add(m3).add(m4).intoArray(s, j * VL);
            m1.sub(m2).add(m3.sub(m4).mul(2f)).add(m5).intoArray(s, (T + j) * VL);
        }
        FloatVector bias = FloatVector.fromArray(S, this.bias, ov);
        int outH = g.outH(), outW = g.outW();
        for (int i = 0; i < 2; i++) {
            int y = 2 * ty + i;
            if (y >= outH) break;
            int p = i * T * VL;
            FloatVector r0 = FloatVector.fromArray(S, s, p), r1 = FloatVector.fromArray(S, s, p + VL);
            FloatVector r2 = FloatVector.fromArray(S, s, p + 2 * VL), r3 = FloatVector.fromArray(S, s, p + 3 * VL);
            FloatVector r4 = FloatVector.fromArray(S, s, p + 4 * VL), r5 = FloatVector.fromArray(S, s, p + 5 * VL);
            int x0 = 2 * tx, zRow = zOff + (y * outW + x0) * oPad + ov;
            r0.add(r1).add(r2).add(r3).add(r4).add(bias).intoArray(z, zRow);
            if (x0 + 1 < outW) r1.sub(r2).add(r3.sub(r4).mul(2f)).add(r5).add(bias).intoArray(z, zRow + oPad);
        }
    }

    /**
     * As {@link #outputTile2} for the 4x4 outputs of a 3x3 kernel's tile: A^T's rows are the
     * points' powers 0..3, (1 1 1 1 1 0) (0 1 -1 2 -2 0) (0 1 1 4 4 0) (0 1 -1 8 -8 1).
     */
    private void outputTile4(float[] prod, int off, int zStride, float[] s, int ov, float[] z, int zOff, int ty, int tx) {
        for (int j = 0; j < T; j++) {
            int p = off + j * zStride;
            FloatVector m0 = FloatVector.fromArray(S, prod, p), m1 = FloatVector.fromArray(S, prod, p + T * zStride);
            FloatVector m2 = FloatVector.fromArray(S, prod, p + 2 * T * zStride), m3 = FloatVector.fromArray(S, prod, p + 3 * T * zStride);
            FloatVector m4 = FloatVector.fromArray(S, prod, p + 4 * T * zStride), m5 = FloatVector.fromArray(S, prod, p + 5 * T * zStride);
            at4(m0, m1, m2, m3, m4, m5, s, j * VL, T * VL);
        }
        FloatVector bias = FloatVector.fromArray(S, this.bias, ov);
        int outH = g.outH(), outW = g.outW(), x0 = 4 * tx;
        for (int i = 0; i < 4; i++) {
            int y = 4 * ty + i;
            if (y >= outH) break;
            int p = i * T * VL, zRow = zOff + (y * outW + x0) * oPad + ov;
            FloatVector r0 = FloatVector.fromArray(S, s, p), r1 = FloatVector.fromArray(S, s, p + VL);
            FloatVector r2 = FloatVector.fromArray(S, s, p + 2 * VL), r3 = FloatVector.fromArray(S, s, p + 3 * VL);
            FloatVector r4 = FloatVector.fromArray(S, s, p + 4 * VL), r5 = FloatVector.fromArray(S, s, p + 5 * VL);
            FloatVector s12 = r1.add(r2), d12 = r1.sub(r2), s34 = r3.add(r4), d34 = r3.sub(r4);
            r0.add(s12).add(s34).add(bias).intoArray(z, zRow);
            if (x0 + 1 < outW) d34.mul(2f).add(d12).add(bias).intoArray(z, zRow + oPad);
            if (x0 + 2 < outW) s34.mul(4f).add(s12).add(bias).intoArray(z, zRow + 2 * oPad);
            if (x0 + 3 < outW) d34.mul(8f).add(d12).add(r5).add(bias).intoArray(z, zRow + 3 * oPad);
        }
    }

    /** dst[off + i * stride] = (A^T m)[i], i = 0..3, for F(4x4, 3x3). */
    private static void at4(FloatVector m0, FloatVector m1, FloatVector m2, FloatVector m3, FloatVector m4, FloatVector m5,
                            float[] dst, int off, int stride) {
        FloatVector s12 = m1.add(m2), d12 = m1.sub(m2), s34 = m3.add(m4), d34 = m3.sub(m4);
        m0.add(s12).add(s34).intoArray(dst, off);
        d34.mul(2f).add(d12).intoArray(dst, off + stride);
        s34.mul(4f).add(s12).intoArray(dst, off + 2 * stride);
        d34.mul(8f).add(d12).add(m5).intoArray(dst, off + 3 * stride);
    }
}
