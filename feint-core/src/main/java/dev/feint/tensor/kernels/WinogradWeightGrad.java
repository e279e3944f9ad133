package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a convolution that {@link WinogradConv} computes, as the adjoint of its
 * steps: the output gradient of each 2x2 block becomes {@code A dY A^T} (6x6), its product with the
 * transformed input tiles summed over tiles and images gives the gradient with respect to the
 * transformed weights U, and {@code G^T dU G} takes that back to the 5x5 filters. The sum over
 * tiles is 36 products (c x tiles times tiles x o) per image, 2.6x fewer multiply-adds than the
 * im2col product, with no im2col matrix.
 *
 * <p>Images are summed into a fixed number of group partials added in order, as
 * {@link Conv2dKernels#backwardWeight} does, so results do not depend on the thread count.
 */
final class WinogradWeightGrad {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final int NR = 2 * VL;
    private static final int T = WinogradTiles.T, M = 2;

    private WinogradWeightGrad() {}

    /** Per-thread buffers: padded input, V, the channels-last output gradient, its tiles, a scratch. */
    private static final class Buffers {
        float[] in = new float[0], v = new float[0], gz = new float[0], gm = new float[0];
        final float[] tile = new float[T * T * VL];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);

    /** gradW += dL/dw and gradBias (nullable) += the sum of the output gradient; image n's gradient from {@code grad}. */
    static void backward(ConvGeometry g, float[] x, ImageGrad grad, float[] gradW, float[] gradBias, int groups) {
        WinogradTiles tiling = new WinogradTiles(g, M);
        int nImg = g.n(), o = g.o(), c = g.c(), cPad = tiling.cPad, oPad = (o + NR - 1) / NR * NR;
        int uSize = T * T * cPad * oPad, stride = uSize + o, ohw = g.outH() * g.outW();
        float[][] holder = PARTIALS.get();
        if (holder[0].length < groups * stride) holder[0] = new float[groups * stride];
        float[] partials = holder[0];
        Conv2dKernels.forEach(groups, (grp, par) -> {
            Buffers b = BUFFERS.get();
            int vStride = tiling.vStride(), mStride = tiling.tiles * oPad, pOff = grp * stride;
            if (b.in.length < tiling.inSize()) b.in = new float[tiling.inSize()];
            if (b.v.length < T * T * vStride) b.v = new float[T * T * vStride];
            if (b.gz.length < ohw * oPad) b.gz = new float[ohw * oPad];
            if (b.gm.length < T * T * mStride) b.gm = new float[T * T * mStride];
            for (int n = nImg * grp / groups, end = nImg * (grp + 1) / groups, first = n; n < end; n++) {
                tiling.transform(x, n, b.in, b.tile, b.v);
                float[] go = grad.image(n);
                int goOff = grad.offset(n);
                outputGradTiles(g, tiling, go, goOff, grad.channelsLast(), oPad, b);
                for (int xi = 0; xi < T * T; xi++)               // dU[xi] (+)= V[xi]^T dM[xi]
                    product(tiling.tiles, cPad, oPad, b.v, xi * vStride, b.gm, xi * mStride, partials, pOff + xi * cPad * oPad, n > first);
                if (gradBias == null) continue;
                if (grad.channelsLast()) columnSums(go, goOff, ohw, o, partials, pOff + uSize, n > first);
                else Conv2dKernels.rowSums(go, goOff, o, ohw, partials, pOff + uSize, n > first);
            }
        });
        // dw = G^T dU G per filter, from the group partials added in a fixed order; filters over
        // the threads (each one's sums as on one thread: 2% of a madry-cnn step ran here serially).
        Parallel.forRange(c, Parallel.grain(o * 1024L), (chunk, from, to) -> {
            double[] u = new double[T * T];
            double[][] t = new double[T][5];
            for (int ch = from; ch < to; ch++)
                for (int oc = 0; oc < o; oc++) {
                    for (int xi = 0; xi < T * T; xi++) {
                        int at = xi * cPad * oPad + ch * oPad + oc;
                        float s = partials[at];
                        for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + at];
                        u[xi] = s;
                    }
                    for (int i = 0; i < T; i++)
                        for (int kx = 0; kx < 5; kx++) {
                            double s = 0;
                            for (int j = 0; j < T; j++) s += u[i * T + j] * WinogradConv.G[j][kx];
                            t[i][kx] = s;
                        }
                    int base = (oc * c + ch) * 25;
                    for (int ky = 0; ky < 5; ky++)
                        for (int kx = 0; kx < 5; kx++) {
                            double s = 0;
                            for (int i = 0; i < T; i++) s += WinogradConv.G[i][ky] * t[i][kx];
                            gradW[base + ky * 5 + kx] += (float) s;
                        }
                }
        });
        if (gradBias != null)
            for (int oc = 0; oc < o; oc++) {
                float s = partials[uSize + oc];
                for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + uSize + oc];
                gradBias[oc] += s;
            }
    }

    /** Where image n's output gradient is (an array and the image's offset in it). */
    interface ImageGrad {
        float[] image(int n);

        int offset(int n);

        /** Whether the image is held channels-last, [outH][outW][o], rather than as planes [o][outH][outW]. */
        default boolean channelsLast() { return false; }
    }

    /**
     * dst[dOff + oc] (+)= the sum over the pixels of src[sOff + p * o + oc] (channels-last), in the
     * order {@link Conv2dKernels#rowSums} sums a plane: lane l of its vector takes the pixels p = l
     * (mod VL) below the vector bound in turn, the lanes are added in order, then the tail pixels;
     * so the same bits as the planes' sums. Vectors run over the channels.
     */
    static void columnSums(float[] src, int sOff, int pixels, int o, float[] dst, int dOff, boolean add) {
        int bound = S.loopBound(pixels), oc = 0;
        for (; oc + VL <= o; oc += VL) {
            FloatVector s = FloatVector.zero(S);
            for (int l = 0; l < VL && l < bound; l++) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = l; p < bound; p += VL) acc = acc.add(FloatVector.fromArray(S, src, sOff + p * o + oc));
                s = s.add(acc);
            }
            for (int p = bound; p < pixels; p++) s = s.add(FloatVector.fromArray(S, src, sOff + p * o + oc));
            (add ? FloatVector.fromArray(S, dst, dOff + oc).add(s) : s).intoArray(dst, dOff + oc);
        }
        for (; oc < o; oc++) {
            float s = 0f;
            for (int l = 0; l < VL; l++) {
                float acc = 0f;
                for (int p = l; p < bound; p += VL) acc += src[sOff + p * o + oc];
                s += acc;
            }
            for (int p = bound; p < pixels; p++) s += src[sOff + p * o + oc];
            dst[dOff + oc] = add ? dst[dOff + oc] + s : s;
        }
    }

    /**
     * dM[xi][panel][tile][NR channels] = (A dY A^T)[xi] for every tile, in the panels {@link #product}
     * reads: the output gradient of image n made channels-last (zero past the output's edge), then
     * each 2x2 block spread to 6x6 with channel vectors.
     */
    private static void outputGradTiles(ConvGeometry g, WinogradTiles tiling, float[] go, int goOff, boolean channelsLast, int oPad, Buffers b) {
        int o = g.o(), outH = g.outH(), outW = g.outW(), ohw = outH * outW, mStride = tiling.tiles * oPad;
        float[] gz = b.gz, gm = b.gm;
        int gzOff = 0;
        if (channelsLast && o == oPad) {                   // read where it is
            gz = go;
            gzOff = goOff;
        } else {
            for (int p = 0; p < ohw; p++) java.util.Arrays.fill(gz, p * oPad + o, (p + 1) * oPad, 0f);
            if (channelsLast) for (int p = 0; p < ohw; p++) System.arraycopy(go, goOff + p * o, gz, p * oPad, o);
            else
                for (int p = 0; p < ohw; p++)              // channels inner: sequential writes
                    for (int oc = 0, dst = p * oPad, src = goOff + p; oc < o; oc++) gz[dst + oc] = go[src + oc * ohw];
        }
        FloatVector zero = FloatVector.zero(S);
        for (int ty = 0; ty < tiling.tilesH; ty++)
            for (int tx = 0; tx < tiling.tilesW; tx++) {
                int y = M * ty, x0 = M * tx, tile = ty * tiling.tilesW + tx;
                boolean right = x0 + 1 < outW, below = y + 1 < outH;
                for (int ov = 0; ov < oPad; ov += VL) {
                    int p = gzOff + (y * outW + x0) * oPad + ov;
                    FloatVector g00 = FloatVector.fromArray(S, gz, p);
                    FloatVector g01 = right ? FloatVector.fromArray(S, gz, p + oPad) : zero;
                    FloatVector g10 = below ? FloatVector.fromArray(S, gz, p + outW * oPad) : zero;
                    FloatVector g11 = right && below ? FloatVector.fromArray(S, gz, p + (outW + 1) * oPad) : zero;
                    // A = (A^T)^T has rows (1,0) (1,1) (1,-1) (1,2) (1,-2) (0,1): down the columns first.
                    spread(g00, g10, b.tile, 0, VL);
                    spread(g01, g11, b.tile, T * VL, VL);
                    for (int i = 0; i < T; i++) {
                        FloatVector h0 = FloatVector.fromArray(S, b.tile, i * VL), h1 = FloatVector.fromArray(S, b.tile, (T + i) * VL);
                        spread(h0, h1, gm, (i * T) * mStride + (ov / NR * tiling.tiles + tile) * NR + ov % NR, mStride);
                    }
                }
            }
    }

    /**
     * dU[ch][oc] (+)= sum over tiles of V[tile][ch] dM[tile][oc] for one xi, with no packing: four
     * channels' values of a tile are contiguous in V (the A operand, broadcast) and dM is laid out
     * in NR-wide panels (the B operand); a 4 x NR tile of accumulators per (channel quad, panel).
     */
    private static void product(int tiles, int cPad, int oPad, float[] v, int vOff, float[] gm, int gOff,
                                float[] du, int dOff, boolean add) {
        int panels = oPad / NR, panel = 0;
        // Two panels at a time where there are 32 vector registers: 16 accumulators, and 4 loads and
        // 4 broadcasts per 16 FMAs instead of 2 and 4 per 8 (each sum the same chain in tile order).
        if (WIDE)
            for (; panel + 1 < panels; panel += 2)
                for (int ch = 0; ch < cPad; ch += 4)
                    quad2(tiles, v, vOff + ch, cPad, gm, gOff + panel * tiles * NR, gOff + (panel + 1) * tiles * NR,
                            du, dOff + ch * oPad + panel * NR, oPad, add);
        for (; panel < panels; panel++)
            for (int ch = 0; ch < cPad; ch += 4)
                MicroKernels.wide4Strided(tiles, v, vOff + ch, cPad, gm, gOff + panel * tiles * NR, du, dOff + ch * oPad + panel * NR, oPad, add);
    }

    /** Whether {@link #product} takes two panels per call ({@link #quad2}): AVX-512's 32 registers hold its 16 accumulators. */
    static final boolean WIDE = VL >= 16;

    /**
     * As {@link MicroKernels#wide4Strided} on two NR panels of dM at once (at g0 and g1): du's 4 x 2NR
     * block at dOff; each value the same FMA chain over the tiles in order, so the same bits.
     */
    private static void quad2(int kc, float[] pa, int aIdx, int aStride, float[] pb, int g0, int g1,
                              float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * aStride, b0i = g0 + p * NR, b1i = g1 + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, b0i), b1 = FloatVector.fromArray(S, pb, b0i + VL);
            FloatVector b2 = FloatVector.fromArray(S, pb, b1i), b3 = FloatVector.fromArray(S, pb, b1i + VL);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
        }
        // Written out (no helper taking vectors: one not inlined boxed them, 3x slower than wide4Strided).
        int i1 = cIdx + ldc, i2 = cIdx + 2 * ldc, i3 = cIdx + 3 * ldc;
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c02 = c02.add(FloatVector.fromArray(S, c, cIdx + 2 * VL)); c03 = c03.add(FloatVector.fromArray(S, c, cIdx + 3 * VL));
            c10 = c10.add(FloatVector.fromArray(S, c, i1)); c11 = c11.add(FloatVector.fromArray(S, c, i1 + VL));
            c12 = c12.add(FloatVector.fromArray(S, c, i1 + 2 * VL)); c13 = c13.add(FloatVector.fromArray(S, c, i1 + 3 * VL));
            c20 = c20.add(FloatVector.fromArray(S, c, i2)); c21 = c21.add(FloatVector.fromArray(S, c, i2 + VL));
            c22 = c22.add(FloatVector.fromArray(S, c, i2 + 2 * VL)); c23 = c23.add(FloatVector.fromArray(S, c, i2 + 3 * VL));
            c30 = c30.add(FloatVector.fromArray(S, c, i3)); c31 = c31.add(FloatVector.fromArray(S, c, i3 + VL));
            c32 = c32.add(FloatVector.fromArray(S, c, i3 + 2 * VL)); c33 = c33.add(FloatVector.fromArray(S, c, i3 + 3 * VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); c02.intoArray(c, cIdx + 2 * VL); c03.intoArray(c, cIdx + 3 * VL);
        c10.intoArray(c, i1); c11.intoArray(c, i1 + VL); c12.intoArray(c, i1 + 2 * VL); c13.intoArray(c, i1 + 3 * VL);
        c20.intoArray(c, i2); c21.intoArray(c, i2 + VL); c22.intoArray(c, i2 + 2 * VL); c23.intoArray(c, i2 + 3 * VL);
        c30.intoArray(c, i3); c31.intoArray(c, i3 + VL); c32.intoArray(c, i3 + 2 * VL); c33.intoArray(c, i3 + 3 * VL);
    }

    /** dst[off + i * stride] = (A (a, b)^T)[i], i = 0..5: a pair of a block spread to six. */
    private static void spread(FloatVector a, FloatVector b, float[] dst, int off, int stride) {
        a.intoArray(dst, off);
        a.add(b).intoArray(dst, off + stride);
        a.sub(b).intoArray(dst, off + 2 * stride);
        b.mul(2f).add(a).intoArray(dst, off + 3 * stride);
        a.sub(b.mul(2f)).intoArray(dst, off + 4 * stride);
        b.intoArray(dst, off + 5 * stride);
    }
}
