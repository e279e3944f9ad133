package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a one-group convolution without im2col or packing:
 * gradW[oc][tap] += sum over the output pixels p of in[p, tap] x gradOut[p][oc]. Each chunk of
 * images is copied once into a zero-padded channels-last buffer, where an output pixel's taps are
 * kh runs of kw * c floats as in {@link ChannelsLastConv} (an unpadded 1x1 convolution copies only
 * the pixels it reads), and its output gradient into panels of 2VL channels per pixel row. An
 * MR-tap x 2VL-channel micro-kernel (MR as in {@link Gemm#MR}) broadcasts MR consecutive taps of
 * a pixel against the pixel's gradient vectors, its accumulators in registers over a block of
 * {@link #BLOCK} pixel rows. The im2col + GEMM path this replaces copied every tap of every pixel
 * twice (im2col, then packing) and, on the 4x4 maps of a ResNet's last stage, summed 16 pixels per
 * pass over the partial sums; 15-20% slower over preact-resnet18's convolutions on one thread.
 *
 * <p>Chunks take whole images, enough for {@link #ROWS} pixel rows. They are summed into a fixed
 * number of group partials (at most {@link #GROUPS}, by chunk index) that are added in order, and
 * every sum runs over its pixels in order, so the result does not depend on the thread count.
 */
final class ConvWeightGradient {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length(), NR = 2 * VL, MR = Gemm.MR;
    /** 5-tap tiles where runs are multiples of 5 (see {@link Layout}); {@code feint.wgrad.five=false} turns them off. */
    static final boolean FIVE = !"false".equals(System.getProperty("feint.wgrad.five"));
    /** Pixel rows per chunk at least (whole images; a 32x32 map is one image of 1024 rows). */
    static final int ROWS = 256;
    /** Pixel rows per pass of the tiles (see {@link #units}). */
    static final int BLOCK = 128;
    /** Fixed number of partial sums: caps memory and keeps the sum order fixed. */
    static final int GROUPS = 8;
    /** Pixels per block of the output gradient's transposition into panels. */
    private static final int TRANSPOSE = 16;

    private static final ThreadLocal<float[][]> IN = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> GZ = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> ONE = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);

    private ConvWeightGradient() {}

    /**
     * An output gradient that can write an image straight into this kernel's channel panels
     * (a fused ReLU + pool routes each window's gradient to one conv output: scattering it into
     * the panels skips the NCHW image and its transposition).
     */
    interface Panels {
        /**
         * Writes image n's o * outH * outW gradient values, channels-last in panels of
         * {@code width} channels: channel oc of pixel q to dst[off + (oc / width) * panelStride +
         * q * width + oc % width]; every one of the o channels' values is written (zeros included),
         * lanes past o may be left as they are.
         *
         * @param n the image's index in the batch
         * @param dst the panels
         * @param off where the image's first pixel row starts in the first panel
         * @param panelStride floats from one panel to the next
         * @param width channels per panel
         */
        void panels(int n, float[] dst, int off, int panelStride, int width);
    }

    /** The tables of one geometry: taps in (ky, kx, channel) order, tiles of MR consecutive taps. */
    private static final class Layout {
        final ConvGeometry g;
        final int oPad, panels, taps, hp, wp, imageSize, pixels, images;
        /** Whether the buffer holds only the input pixels an unpadded 1x1 convolution reads (outH x outW). */
        final boolean sampled;
        /**
         * Per tile of MR taps: its first row of the partial sums and its input offset. Runs are
         * padded to whole tiles (runPad rows each): a tile past a run's end reads on into the next
         * floats of the buffer, and its extra rows are never read back.
         */
        final int[] tileRow, tileOff;
        final int runLen, runPad, rows, tapsPerTile;
        /** Input offset of each pixel row of a chunk (image, then output pixel). */
        final int[] pixelBase;

        Layout(ConvGeometry g) {
            this.g = g;
            int c = g.c(), kh = g.kh(), kw = g.kw();
            panels = (g.o() + NR - 1) / NR;
            oPad = panels * NR;
            taps = g.patch();
            pixels = g.outH() * g.outW();
            // An unpadded 1x1 convolution reads one input pixel per output pixel: only those are copied.
            sampled = kh == 1 && kw == 1 && g.paddedH() == g.h() && g.paddedW() == g.w();
            hp = sampled ? g.outH() : g.paddedH();
            wp = sampled ? g.outW() : g.paddedW();
            imageSize = hp * wp * c;
            images = Math.max(1, Math.min(g.n(), (ROWS + pixels - 1) / pixels));
            // A run is a kernel row of kw * c contiguous floats (unit column dilation), else one tap's c channels.
            boolean rowRuns = g.dilW() == 1;
            int runs = rowRuns ? kh : kh * kw, perRun;
            runLen = rowRuns ? kw * c : c;
            // Taps per tile: MR, or 5 on the 6-tap tile where runs are multiples of 5 and not of 6
            // (madry-cnn's conv1, one channel, 5 taps per kernel row: 6-tap tiles computed one dead tap in six).
            tapsPerTile = FIVE && MR == 6 && runLen % 6 != 0 && runLen % 5 == 0 ? 5 : MR;
            perRun = (runLen + tapsPerTile - 1) / tapsPerTile;
            runPad = perRun * tapsPerTile;
            rows = runs * runPad;
            tileRow = new int[runs * perRun];
            tileOff = new int[tileRow.length];
            for (int r = 0, t = 0; r < runs; r++)
                for (int j = 0; j < runLen; j += tapsPerTile, t++) {
                    int ky = rowRuns ? r : r / kw, kx = rowRuns ? 0 : r % kw;
                    tileRow[t] = r * runPad + j;
                    tileOff[t] = (ky * g.dilH() * wp + kx * g.dilW()) * c + j;
                }
            pixelBase = new int[images * pixels];
            for (int p = 0; p < pixelBase.length; p++) {
                int img = p / pixels, q = p % pixels;
                pixelBase[p] = img * imageSize + (sampled ? q * c : ((q / g.outW()) * g.strideH() * wp + (q % g.outW()) * g.strideW()) * c);
            }
        }
    }

    /**
     * gradW += the weight gradient, gradBias (nullable) += the sums of the output gradient, given
     * whole ({@code full}, NCHW) or image by image ({@code each}).
     */
    static void backward(ConvGeometry g, float[] x, float[] full, Conv2dKernels.OutputGrad each, float[] gradW, float[] gradBias) {
        if (g.groups() != 1) throw new IllegalArgumentException("one group expected, got " + g);
        if (g.n() == 0) return;
        Layout l = new Layout(g);
        int chunks = (g.n() + l.images - 1) / l.images, groups = Math.min(chunks, GROUPS);
        int stride = l.rows * l.oPad + l.oPad;                                      // partial: [tile row][oPad], then bias[oPad]
        float[] partials = buffer(PARTIALS, groups * stride);
        Conv2dKernels.forEach(groups, (grp, par) -> {
            for (int ch = chunks * grp / groups, end = chunks * (grp + 1) / groups, first = ch; ch < end; ch++)
                chunk(l, x, full, each, ch * l.images, Math.min(l.images, g.n() - ch * l.images), partials, grp * stride,
                        ch > first, gradBias != null, par);
        });
        int o = g.o(), kh = g.kh(), kw = g.kw(), c = g.c(), patch = l.taps;
        for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
                for (int ch = 0; ch < c; ch++) {
                    int q = (ky * kw + kx) * c + ch, r = (ch * kh + ky) * kw + kx, row = q / l.runLen * l.runPad + q % l.runLen;
                    for (int oc = 0; oc < o; oc++) {
                        float s = partials[row * l.oPad + oc];
                        for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + row * l.oPad + oc];
                        gradW[oc * patch + r] += s;
                    }
                }
        if (gradBias != null)
            for (int oc = 0; oc < o; oc++) {
                float s = partials[l.rows * l.oPad + oc];
                for (int grp = 1; grp < groups; grp++) s += partials[grp * stride + l.rows * l.oPad + oc];
                gradBias[oc] += s;
            }
    }

    /** Images [n0, n0 + count) into the partial at pOff (added to it with {@code add}, else overwriting it). */
    private static void chunk(Layout l, float[] x, float[] full, Conv2dKernels.OutputGrad each, int n0, int count,
                              float[] partials, int pOff, boolean add, boolean bias, boolean par) {
        ConvGeometry g = l.g;
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w, o = g.o(), pixels = l.pixels, rows = count * pixels;
        float[] in = buffer(IN, l.images * l.imageSize + MR), gz = buffer(GZ, l.images * pixels * l.oPad);
        // Planes read in order (one stream for the prefetcher); the scattered writes land in this
        // thread's buffer, which stays in L2.
        if (l.sampled) {
            for (int j = 0; j < count; j++)
                for (int ch = 0; ch < c; ch++)
                    for (int oy = 0, dst = j * l.imageSize + ch; oy < g.outH(); oy++)
                        for (int ox = 0, src = ((n0 + j) * c + ch) * hw + oy * g.strideH() * w; ox < g.outW(); ox++, dst += c)
                            in[dst] = x[src + ox * g.strideW()];
        } else {
            java.util.Arrays.fill(in, 0, count * l.imageSize, 0f);
            for (int j = 0; j < count; j++)
                for (int ch = 0, src = (n0 + j) * c * hw; ch < c; ch++)
                    for (int y = 0; y < h; y++) {
                        int dst = j * l.imageSize + ((y + g.padTop()) * l.wp + g.padLeft()) * c + ch;
                        for (int xx = 0; xx < w; xx++, src++, dst += c) in[dst] = x[src];
                    }
        }
        // Lanes past o of a pixel row may hold another call's values: they only reach partial columns never read.
        Panels direct = each instanceof Panels p ? p : null;
        float[] one = each == null || direct != null ? null : buffer(ONE, o * pixels);
        for (int j = 0; j < count; j++) {
            if (direct != null) {
                direct.panels(n0 + j, gz, j * pixels * NR, l.images * pixels * NR, NR);
                continue;
            }
            float[] src = full;
            int s0 = (n0 + j) * o * pixels;
            if (each != null) {
                each.image(n0 + j, one);
                src = one;
                s0 = 0;
            }
            // gz[panel][pixel row][NR]: a tile's gradient loads are then affine in the row with a constant stride.
            // Pixels in blocks of TRANSPOSE: the block's rows of every panel stay in L1 while each
            // channel writes into them (channel by channel over the whole image went through L2).
            int panelSize = l.images * pixels * NR;
            for (int q0 = 0; q0 < pixels; q0 += TRANSPOSE) {
                int q1 = Math.min(pixels, q0 + TRANSPOSE);
                for (int oc = 0; oc < o; oc++)
                    for (int q = q0, s = s0 + oc * pixels, d = oc / NR * panelSize + (j * pixels + q0) * NR + oc % NR; q < q1; q++, d += NR)
                        gz[d] = src[s + q];
            }
        }
        int units = l.panels * l.tileRow.length;
        if (par && dev.feint.tensor.Parallel.chunks(units, 1) > 1)
            dev.feint.tensor.Parallel.forBlocks(units, 4 * dev.feint.tensor.Parallel.threads(),
                    (b, from, to) -> units(l, in, gz, rows, from, to, partials, pOff, add));
        else
            units(l, in, gz, rows, 0, units, partials, pOff, add);
        if (bias) {
            // Each lane sums its channel over the rows in order, as a scalar loop would.
            int bOff = pOff + l.rows * l.oPad;
            for (int panel = 0; panel < l.panels; panel++) {
                FloatVector s0 = FloatVector.zero(S), s1 = s0;
                for (int p = 0, d = panel * l.images * pixels * NR; p < rows; p++, d += NR) {
                    s0 = s0.add(FloatVector.fromArray(S, gz, d));
                    s1 = s1.add(FloatVector.fromArray(S, gz, d + VL));
                }
                int b = bOff + panel * NR;
                if (add) {
                    s0 = FloatVector.fromArray(S, partials, b).add(s0);
                    s1 = FloatVector.fromArray(S, partials, b + VL).add(s1);
                }
                s0.intoArray(partials, b);
                s1.intoArray(partials, b + VL);
            }
        }
    }

    /**
     * Units [from, to) of (panel, tile) pairs, panel-major, over the rows in blocks of {@link #BLOCK}:
     * a block's gradient panel (BLOCK x 2VL floats) stays in L1 while every tile passes over it.
     */
    private static void units(Layout l, float[] in, float[] gz, int rows, int from, int to, float[] partials, int pOff, boolean add) {
        int tiles = l.tileRow.length;
        for (int p0 = 0; p0 < rows; p0 += BLOCK) {
            int p1 = Math.min(rows, p0 + BLOCK);
            boolean acc = add || p0 > 0;
            for (int u = from; u < to; u++) {
                int panel = u / tiles, t = u % tiles, gIdx = panel * l.images * l.pixels * NR;
                int cIdx = pOff + l.tileRow[t] * l.oPad + panel * NR;
                if (l.tapsPerTile == 5) tile5(in, l.pixelBase, l.tileOff[t], gz, gIdx, l.oPad, p0, p1, partials, cIdx, acc);
                else if (MR == 6) tile6(in, l.pixelBase, l.tileOff[t], gz, gIdx, l.oPad, p0, p1, partials, cIdx, acc);
                else tile4(in, l.pixelBase, l.tileOff[t], gz, gIdx, l.oPad, p0, p1, partials, cIdx, acc);
            }
        }
    }

    /**
     * c[6 taps][2VL channels] (+)= sum over pixel rows p in [p0, p1) of in[base[p] + off + tap] x gz[p][channels];
     * the epilogue written out (a store helper per accumulator was not inlined: see {@link MicroKernels}).
     */
    private static void tile6(float[] in, int[] base, int off, float[] gz, int gIdx, int ld, int p0, int p1, float[] c, int cIdx, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = p0; p < p1; p++) {
            int i = base[p] + off, gi = p * NR + gIdx;
            FloatVector g0 = FloatVector.fromArray(S, gz, gi), g1 = FloatVector.fromArray(S, gz, gi + VL);
            FloatVector a = FloatVector.broadcast(S, in[i]);
            c00 = a.fma(g0, c00); c01 = a.fma(g1, c01);
            a = FloatVector.broadcast(S, in[i + 1]);
            c10 = a.fma(g0, c10); c11 = a.fma(g1, c11);
            a = FloatVector.broadcast(S, in[i + 2]);
            c20 = a.fma(g0, c20); c21 = a.fma(g1, c21);
            a = FloatVector.broadcast(S, in[i + 3]);
            c30 = a.fma(g0, c30); c31 = a.fma(g1, c31);
            a = FloatVector.broadcast(S, in[i + 4]);
            c40 = a.fma(g0, c40); c41 = a.fma(g1, c41);
            a = FloatVector.broadcast(S, in[i + 5]);
            c50 = a.fma(g0, c50); c51 = a.fma(g1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ld)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ld + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ld)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ld + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ld)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ld + VL));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ld)); c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ld + VL));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ld)); c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ld + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ld;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ld;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ld;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ld;
        c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL); cIdx += ld;
        c50.intoArray(c, cIdx); c51.intoArray(c, cIdx + VL);
    }

    /** As {@link #tile6} for 5 taps (runs of 5 taps: each tap's sum the same chain as tile6's). */
    private static void tile5(float[] in, int[] base, int off, float[] gz, int gIdx, int ld, int p0, int p1, float[] c, int cIdx, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int p = p0; p < p1; p++) {
            int i = base[p] + off, gi = p * NR + gIdx;
            FloatVector g0 = FloatVector.fromArray(S, gz, gi), g1 = FloatVector.fromArray(S, gz, gi + VL);
            FloatVector a = FloatVector.broadcast(S, in[i]);
            c00 = a.fma(g0, c00); c01 = a.fma(g1, c01);
            a = FloatVector.broadcast(S, in[i + 1]);
            c10 = a.fma(g0, c10); c11 = a.fma(g1, c11);
            a = FloatVector.broadcast(S, in[i + 2]);
            c20 = a.fma(g0, c20); c21 = a.fma(g1, c21);
            a = FloatVector.broadcast(S, in[i + 3]);
            c30 = a.fma(g0, c30); c31 = a.fma(g1, c31);
            a = FloatVector.broadcast(S, in[i + 4]);
            c40 = a.fma(g0, c40); c41 = a.fma(g1, c41);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ld)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ld + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ld)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ld + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ld)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ld + VL));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ld)); c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ld + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ld;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ld;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ld;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ld;
        c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL);
    }

    /** As {@link #tile6} for 4 taps (AVX2's 16 registers: the 6-tap tile's accumulators would spill). */
    private static void tile4(float[] in, int[] base, int off, float[] gz, int gIdx, int ld, int p0, int p1, float[] c, int cIdx, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int p = p0; p < p1; p++) {
            int i = base[p] + off, gi = p * NR + gIdx;
            FloatVector g0 = FloatVector.fromArray(S, gz, gi), g1 = FloatVector.fromArray(S, gz, gi + VL);
            FloatVector a = FloatVector.broadcast(S, in[i]);
            c00 = a.fma(g0, c00); c01 = a.fma(g1, c01);
            a = FloatVector.broadcast(S, in[i + 1]);
            c10 = a.fma(g0, c10); c11 = a.fma(g1, c11);
            a = FloatVector.broadcast(S, in[i + 2]);
            c20 = a.fma(g0, c20); c21 = a.fma(g1, c21);
            a = FloatVector.broadcast(S, in[i + 3]);
            c30 = a.fma(g0, c30); c31 = a.fma(g1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ld)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ld + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ld)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ld + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ld)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ld + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ld;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ld;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ld;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL);
    }

    private static float[] buffer(ThreadLocal<float[][]> holder, int size) {
        float[][] h = holder.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }
}
