package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution forward by Winograd's minimal filtering F(2x2, 5x5) (Lavin and Gray, "Fast
 * Algorithms for Convolutional Neural Networks", arXiv:1509.09308). Each 2x2 block of outputs comes
 * from a 6x6 input tile d as {@code A^T [sum over channels (G g G^T) . (B^T d B)] A}: 36 products per
 * block and input channel instead of 100. The sums over channels are 36 small products (tiles x c
 * times c x o), one per tile element, run on {@link ChannelsLastConv}'s micro-kernel as 1x1
 * convolutions over a channels-last [tile][channel] matrix. Interpolation points 0, 1, -1, 2, -2
 * and infinity; the transform matrices were derived by Toom-Cook and checked in exact arithmetic.
 *
 * <p>Used for stride-1, undilated 5x5 convolutions with at least 16 input and output channels (fewer
 * channels leave the products too small to pay for the transforms; madry-cnn's conv2 and its input
 * gradient qualify, its conv1 does not). Numerics: not the direct sum bit for bit; on madry-cnn's
 * conv2 the largest difference from a double-precision reference is about 1e-5 of the output scale
 * (the direct kernel: about 3e-7), see {@code WinogradConvTest}. {@link #setEnabled} turns it off for
 * callers who want the direct sum. Results do not depend on the thread count.
 */
final class WinogradConv implements ConvPlan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Tile side (m + r - 1), output block side m. */
    private static final int T = WinogradTiles.T, M = WinogradTiles.M;
    /** G (6 x 5): the filter transform, with the interpolation denominators. */
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
    private final WinogradTiles tiling;
    private final int tilesW, tiles, oPad, pixels;
    /** One 1x1 plan per tile element xi: the transformed weights U[xi] (o x cPad), packed. */
    private final ChannelsLastConv.Plan[] products = new ChannelsLastConv.Plan[T * T];
    private final float[] bias;

    /** Turns the Winograd path on or off for later calls (see {@link Conv2dKernels#setWinograd}). */
    static void setEnabled(boolean on) { enabled = on; }

    static boolean enabled() { return enabled; }

    static boolean applies(ConvGeometry g) {
        return enabled && g.kh() == 5 && g.kw() == 5 && g.strideH() == 1 && g.strideW() == 1
                && g.dilH() == 1 && g.dilW() == 1 && g.c() >= 16 && g.o() >= 16 && g.groups() == 1;
    }

    WinogradConv(ConvGeometry g, float[] w, float[] bias) {
        if (!applies(g)) throw new IllegalArgumentException("Winograd F(2x2, 5x5) does not apply to " + g);
        this.g = g;
        int o = g.o();
        tiling = new WinogradTiles(g);
        tilesW = tiling.tilesW;
        tiles = tiling.tiles;
        int cPad = tiling.cPad;
        pixels = g.outH() * g.outW();
        float[][] u = transformWeights(g, w, cPad);
        ConvGeometry product = new ConvGeometry(1, cPad, 1, tiles, o, 1, 1, 1, 1, 0, 0, 1, 1);
        for (int xi = 0; xi < T * T; xi++) products[xi] = new ChannelsLastConv.Plan(product, u[xi], null);
        oPad = products[0].oPad();
        this.bias = new float[oPad];
        setBias(bias);
    }

    /** U[xi][oc][ch] = (G g G^T)[xi] for each filter g = w[oc][ch], in double, rounded once. */
    private static float[][] transformWeights(ConvGeometry g, float[] w, int cPad) {
        int o = g.o(), c = g.c();
        float[][] u = new float[T * T][o * cPad];
        double[] gk = new double[T * 5], row = new double[T];
        for (int oc = 0; oc < o; oc++)
            for (int ch = 0; ch < c; ch++) {
                int base = (oc * c + ch) * 25, at = oc * cPad + ch;
                for (int kx = 0; kx < 5; kx++)                    // G down each column: gk[i][kx]
                    applyG(w[base + kx], w[base + 5 + kx], w[base + 10 + kx], w[base + 15 + kx], w[base + 20 + kx], gk, kx, 5);
                for (int i = 0; i < T; i++) {                     // G along each row: U[i][j]
                    int r = i * 5;
                    applyG(gk[r], gk[r + 1], gk[r + 2], gk[r + 3], gk[r + 4], row, 0, 1);
                    for (int j = 0; j < T; j++) u[i * T + j][at] = (float) row[j];
                }
            }
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

    @Override public void setBias(float[] b) { ConvPlan.copyBias(b, bias, g.o()); }

    @Override public ConvGeometry g() { return g; }

    @Override public int oPad() { return oPad; }

    @Override public int pixels() { return pixels; }

    @Override public int zSize() { return pixels * oPad; }

    /** Per-thread buffers: padded channels-last input, transformed tiles V, products Z, a tile scratch. */
    private static final class Buffers {
        float[] in = new float[0], v = new float[0], z = new float[0];
        final float[] tile = new float[T * T * VL];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public void image(float[] x, int n, float[] z, boolean parallel) {
        Buffers b = BUFFERS.get();
        int vStride = tiling.vStride(), zStride = products[0].zSize();
        if (b.in.length < tiling.inSize()) b.in = new float[tiling.inSize()];
        if (b.v.length < T * T * vStride) b.v = new float[T * T * vStride];
        if (b.z.length < T * T * zStride) b.z = new float[T * T * zStride];
        float[] v = b.v, prod = b.z;
        tiling.transform(x, n, b.in, b.tile, v);
        if (parallel && Parallel.chunks(T * T, 1) > 1)
            // One product at a time, claimed as they come: a worker whose vCPU is taken holds up one.
            Parallel.forEachItem(T * T, xi -> ChannelsLastConv.multiply(products[xi], v, xi * vStride, prod, xi * zStride));
        else
            for (int xi = 0; xi < T * T; xi++) ChannelsLastConv.multiply(products[xi], v, xi * vStride, prod, xi * zStride);
        for (int ty = 0; ty < tiling.tilesH; ty++)
            for (int tx = 0; tx < tilesW; tx++)
                for (int ov = 0; ov < oPad; ov += VL)
                    outputTile(prod, (ty * tilesW + tx) * oPad + ov, zStride, b.tile, ov, z, ty, tx);
    }

    /**
     * The 2x2 outputs of one tile for one vector of output channels: A^T down the columns of the
     * 36 products into the scratch, A^T along the rows, plus the bias, into z (inside the output only).
     */
    private void outputTile(float[] prod, int off, int zStride, float[] s, int ov, float[] z, int ty, int tx) {
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
        for (int i = 0; i < M; i++) {
            int y = M * ty + i;
            if (y >= outH) break;
            int p = i * T * VL;
            FloatVector r0 = FloatVector.fromArray(S, s, p), r1 = FloatVector.fromArray(S, s, p + VL);
            FloatVector r2 = FloatVector.fromArray(S, s, p + 2 * VL), r3 = FloatVector.fromArray(S, s, p + 3 * VL);
            FloatVector r4 = FloatVector.fromArray(S, s, p + 4 * VL), r5 = FloatVector.fromArray(S, s, p + 5 * VL);
            int x0 = M * tx, zRow = (y * outW + x0) * oPad + ov;
            r0.add(r1).add(r2).add(r3).add(r4).add(bias).intoArray(z, zRow);
            if (x0 + 1 < outW) r1.sub(r2).add(r3.sub(r4).mul(2f)).add(r5).add(bias).intoArray(z, zRow + oPad);
        }
    }
}
