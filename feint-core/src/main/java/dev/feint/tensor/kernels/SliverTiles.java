package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import dev.feint.tensor.kernels.ChannelsLastConv.Plan;

import static dev.feint.tensor.kernels.ChannelsLastConv.MR;
import static dev.feint.tensor.kernels.ChannelsLastConv.NR;
import static dev.feint.tensor.kernels.ChannelsLastConv.QUAD_PANELS;

/**
 * {@link ChannelsLastConv}'s micro-kernels: the (panel, sliver) units of a call, each an MR-pixel x
 * NR-channel tile (narrower for a lone pixel row) broadcasting the padded input's runs against the
 * packed weights.
 */
final class SliverTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private SliverTiles() {}

    /**
     * Units [from, to) of (panel, sliver) pairs over the first {@code live} slivers, panel-major;
     * each unit's k blocks in order, so the sums do not depend on the split. Runs and taps that
     * read only padding are skipped.
     */
    static void run(Plan plan, SliverOrder order, int live, int rows, float[] in, int inOff, float[] z, int zOff, int from, int to) {
        int[] base = order.base, tapLo = order.tapLo, tapHi = order.tapHi;
        int ldz = order.zStep * plan.oPad;
        for (int r0 = 0; r0 < plan.runs; r0 += plan.runsPerBlock) {
            int r1 = Math.min(plan.runs, r0 + plan.runsPerBlock);
            for (int u = from; u < to; u++) {
                int panel = u / live, s = u % live;
                int lo = order.runLo[s], hi = order.runHi[s], a = Math.max(r0, lo), b = Math.min(r1, hi);
                if (a >= b) continue;
                boolean first = a == lo, last = b == hi;
                int p = s * MR, zIdx = zOff + order.zRow[s] * plan.oPad + panel * NR, bIdx = panel * plan.taps * NR, real = Math.min(MR, rows - p);
                // Fewer real pixel rows than MR (a batch of one on a small map, a last sliver): a
                // narrower tile with the same sums in the same order, so the bits do not depend on it.
                if (real == 1 && QUAD_PANELS && live == 1 && u + 3 < to && panel + 3 < plan.panels) {
                    tile1Quad(plan, in, inOff + base[p], a, b, tapLo[s], tapHi[s], first, last, bIdx, panel * NR, z, zIdx);
                    u += 3;
                } else if (real == 1) {
                    boolean pair = live == 1 && u + 1 < to && panel + 1 < plan.panels;   // two panels: four FMA chains
                    tile1(plan, in, inOff + base[p], a, b, tapLo[s], tapHi[s], first, last, bIdx, panel * NR, z, zIdx, pair);
                    if (pair) u++;
                } else if (MR == 6 && real > 4)
                    tile(plan, in, inOff + base[p], inOff + base[p + 1], inOff + base[p + 2], inOff + base[p + 3],
                            inOff + base[p + 4], inOff + base[p + 5], a, b, tapLo[s], tapHi[s], first, last, bIdx, panel * NR, z, zIdx, ldz);
                else if (b - a == 1)
                    tile4Run(plan, in, inOff + base[p], inOff + base[p + 1], inOff + base[p + 2], inOff + base[p + 3],
                            a, tapLo[s], tapHi[s], first, last, bIdx, panel * NR, z, zIdx, ldz);
                else if (MR == 6)
                    tile(plan, in, inOff + base[p], inOff + base[p + 1], inOff + base[p + 2], inOff + base[p + 3],
                            inOff + base[p + 4], inOff + base[p + 5], a, b, tapLo[s], tapHi[s], first, last, bIdx, panel * NR, z, zIdx, ldz);
                else
                    tile4(plan, in, inOff + base[p], inOff + base[p + 1], inOff + base[p + 2], inOff + base[p + 3],
                            a, b, first, last, bIdx, panel * NR, z, zIdx, ldz);
            }
        }
    }

    /**
     * As {@link #tile} for one pixel row (z row zIdx), on one panel or, with {@code pair}, on this
     * panel and the next: each accumulator is one FMA chain in tap order, and a second panel
     * gives four chains in flight instead of two (one chain waits on the FMA latency).
     */
    private static void tile1(Plan plan, float[] in, int a0, int r0, int r1, int t0, int t1, boolean first, boolean last,
                              int bIdx, int biasIdx, float[] z, int zIdx, boolean pair) {
        float[] pb = plan.packed;
        int runLen = plan.runLen, step = plan.taps * NR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, d0 = c0, d1 = c0;
        for (int r = r0; r < r1; r++) {
            int i0 = a0 + plan.runOffset[r], bi = bIdx + r * runLen * NR;
            if (pair)
                for (int t = t0; t < t1; t++) {
                    int bt = bi + t * NR;
                    FloatVector av = FloatVector.broadcast(S, in[i0 + t]);
                    c0 = av.fma(FloatVector.fromArray(S, pb, bt), c0);
                    c1 = av.fma(FloatVector.fromArray(S, pb, bt + VL), c1);
                    d0 = av.fma(FloatVector.fromArray(S, pb, bt + step), d0);
                    d1 = av.fma(FloatVector.fromArray(S, pb, bt + step + VL), d1);
                }
            else
                for (int t = t0; t < t1; t++) {
                    int bt = bi + t * NR;
                    FloatVector av = FloatVector.broadcast(S, in[i0 + t]);
                    c0 = av.fma(FloatVector.fromArray(S, pb, bt), c0);
                    c1 = av.fma(FloatVector.fromArray(S, pb, bt + VL), c1);
                }
        }
        float[] add = last ? plan.bias : plan.zeros;
        if (!first) {
            c0 = c0.add(FloatVector.fromArray(S, z, zIdx));
            c1 = c1.add(FloatVector.fromArray(S, z, zIdx + VL));
        }
        c0.add(FloatVector.fromArray(S, add, biasIdx)).intoArray(z, zIdx);
        c1.add(FloatVector.fromArray(S, add, biasIdx + VL)).intoArray(z, zIdx + VL);
        if (!pair) return;
        if (!first) {
            d0 = d0.add(FloatVector.fromArray(S, z, zIdx + NR));
            d1 = d1.add(FloatVector.fromArray(S, z, zIdx + NR + VL));
        }
        d0.add(FloatVector.fromArray(S, add, biasIdx + NR)).intoArray(z, zIdx + NR);
        d1.add(FloatVector.fromArray(S, add, biasIdx + NR + VL)).intoArray(z, zIdx + NR + VL);
    }

    /**
     * As {@link #tile1} on four panels at once: eight FMA chains and four weight streams in
     * flight. A lone pixel row (a batch of one on a 1x1 map) is bound by streaming the weights
     * from L3, and two streams left the prefetchers idle between taps.
     */
    private static void tile1Quad(Plan plan, float[] in, int a0, int r0, int r1, int t0, int t1, boolean first, boolean last,
                                  int bIdx, int biasIdx, float[] z, int zIdx) {
        float[] pb = plan.packed;
        int runLen = plan.runLen, step = plan.taps * NR;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, d0 = c0, d1 = c0, e0 = c0, e1 = c0, f0 = c0, f1 = c0;
        for (int r = r0; r < r1; r++) {
            int i0 = a0 + plan.runOffset[r], bi = bIdx + r * runLen * NR;
            for (int t = t0; t < t1; t++) {
                int bt = bi + t * NR;
                FloatVector av = FloatVector.broadcast(S, in[i0 + t]);
                c0 = av.fma(FloatVector.fromArray(S, pb, bt), c0);
                c1 = av.fma(FloatVector.fromArray(S, pb, bt + VL), c1);
                d0 = av.fma(FloatVector.fromArray(S, pb, bt + step), d0);
                d1 = av.fma(FloatVector.fromArray(S, pb, bt + step + VL), d1);
                e0 = av.fma(FloatVector.fromArray(S, pb, bt + 2 * step), e0);
                e1 = av.fma(FloatVector.fromArray(S, pb, bt + 2 * step + VL), e1);
                f0 = av.fma(FloatVector.fromArray(S, pb, bt + 3 * step), f0);
                f1 = av.fma(FloatVector.fromArray(S, pb, bt + 3 * step + VL), f1);
            }
        }
        float[] add = last ? plan.bias : plan.zeros;
        if (!first) {
            c0 = c0.add(FloatVector.fromArray(S, z, zIdx)); c1 = c1.add(FloatVector.fromArray(S, z, zIdx + VL));
            d0 = d0.add(FloatVector.fromArray(S, z, zIdx + NR)); d1 = d1.add(FloatVector.fromArray(S, z, zIdx + NR + VL));
            e0 = e0.add(FloatVector.fromArray(S, z, zIdx + 2 * NR)); e1 = e1.add(FloatVector.fromArray(S, z, zIdx + 2 * NR + VL));
            f0 = f0.add(FloatVector.fromArray(S, z, zIdx + 3 * NR)); f1 = f1.add(FloatVector.fromArray(S, z, zIdx + 3 * NR + VL));
        }
        c0.add(FloatVector.fromArray(S, add, biasIdx)).intoArray(z, zIdx);
        c1.add(FloatVector.fromArray(S, add, biasIdx + VL)).intoArray(z, zIdx + VL);
        d0.add(FloatVector.fromArray(S, add, biasIdx + NR)).intoArray(z, zIdx + NR);
        d1.add(FloatVector.fromArray(S, add, biasIdx + NR + VL)).intoArray(z, zIdx + NR + VL);
        e0.add(FloatVector.fromArray(S, add, biasIdx + 2 * NR)).intoArray(z, zIdx + 2 * NR);
        e1.add(FloatVector.fromArray(S, add, biasIdx + 2 * NR + VL)).intoArray(z, zIdx + 2 * NR + VL);
        f0.add(FloatVector.fromArray(S, add, biasIdx + 3 * NR)).intoArray(z, zIdx + 3 * NR);
        f1.add(FloatVector.fromArray(S, add, biasIdx + 3 * NR + VL)).intoArray(z, zIdx + 3 * NR + VL);
    }

    /**
     * z[6 pixels][2VL channels] (+)= sum over the taps of runs [r0, r1) of in[pixel run] x
     * packed[tap][channels] (taps [t0, t1) of each run); the first block overwrites z, the last adds the bias.
     */
    private static void tile(Plan plan, float[] in, int a0, int a1, int a2, int a3, int a4, int a5, int r0, int r1,
                             int t0, int t1, boolean first, boolean last, int bIdx, int biasIdx, float[] z, int zIdx, int ldz) {
        float[] pb = plan.packed;
        int runLen = plan.runLen;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int r = r0; r < r1; r++) {
            int off = plan.runOffset[r], i0 = a0 + off, i1 = a1 + off, i2 = a2 + off, i3 = a3 + off, i4 = a4 + off, i5 = a5 + off;
            int bi = bIdx + r * runLen * NR;
            for (int t = t0; t < t1; t++) {
                int bt = bi + t * NR;
                FloatVector b0 = FloatVector.fromArray(S, pb, bt);
                FloatVector b1 = FloatVector.fromArray(S, pb, bt + VL);
                FloatVector av = FloatVector.broadcast(S, in[i0 + t]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, in[i1 + t]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, in[i2 + t]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, in[i3 + t]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, in[i4 + t]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, in[i5 + t]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            }
        }
        // Earlier blocks' sum comes back through z; the bias is added once, on the last block.
        float[] add = last ? plan.bias : plan.zeros;
        FloatVector bias0 = FloatVector.fromArray(S, add, biasIdx), bias1 = FloatVector.fromArray(S, add, biasIdx + VL);
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, z, zIdx)); c01 = c01.add(FloatVector.fromArray(S, z, zIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, z, zIdx + ldz)); c11 = c11.add(FloatVector.fromArray(S, z, zIdx + ldz + VL));
            c20 = c20.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz)); c21 = c21.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz + VL));
            c30 = c30.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz)); c31 = c31.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz + VL));
            c40 = c40.add(FloatVector.fromArray(S, z, zIdx + 4 * ldz)); c41 = c41.add(FloatVector.fromArray(S, z, zIdx + 4 * ldz + VL));
            c50 = c50.add(FloatVector.fromArray(S, z, zIdx + 5 * ldz)); c51 = c51.add(FloatVector.fromArray(S, z, zIdx + 5 * ldz + VL));
        }
        c00.add(bias0).intoArray(z, zIdx); c01.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c10.add(bias0).intoArray(z, zIdx); c11.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c20.add(bias0).intoArray(z, zIdx); c21.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c30.add(bias0).intoArray(z, zIdx); c31.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c40.add(bias0).intoArray(z, zIdx); c41.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c50.add(bias0).intoArray(z, zIdx); c51.add(bias1).intoArray(z, zIdx + VL);
    }

    /**
     * As {@link #tile} for 4 pixels (AVX2: the 6-pixel tile's 15 live vectors spill), in one flat
     * loop over the block's taps with each tap's input offset looked up: with the run loop nested
     * around the tap loop, C2's register allocator kept one of the eight accumulators on the
     * stack (a store and a reload in the FMA chain every tap: 3x slower in about half of the JVM
     * runs, depending on the order of compilation).
     */
    private static void tile4(Plan plan, float[] in, int a0, int a1, int a2, int a3, int r0, int r1,
                              boolean first, boolean last, int bIdx, int biasIdx, float[] z, int zIdx, int ldz) {
        float[] pb = plan.packed;
        int[] tapOffset = plan.tapOffset;
        int d1 = a1 - a0, d2 = a2 - a0, d3 = a3 - a0, q1 = r1 * plan.runLen;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int q = r0 * plan.runLen; q < q1; q++) {
            int bt = bIdx + q * NR, it = a0 + tapOffset[q];
            FloatVector b0 = FloatVector.fromArray(S, pb, bt);
            FloatVector b1 = FloatVector.fromArray(S, pb, bt + VL);
            FloatVector av = FloatVector.broadcast(S, in[it]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, in[it + d1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, in[it + d2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, in[it + d3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        float[] add = last ? plan.bias : plan.zeros;
        FloatVector bias0 = FloatVector.fromArray(S, add, biasIdx), bias1 = FloatVector.fromArray(S, add, biasIdx + VL);
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, z, zIdx)); c01 = c01.add(FloatVector.fromArray(S, z, zIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, z, zIdx + ldz)); c11 = c11.add(FloatVector.fromArray(S, z, zIdx + ldz + VL));
            c20 = c20.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz)); c21 = c21.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz + VL));
            c30 = c30.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz)); c31 = c31.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz + VL));
        }
        c00.add(bias0).intoArray(z, zIdx); c01.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c10.add(bias0).intoArray(z, zIdx); c11.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c20.add(bias0).intoArray(z, zIdx); c21.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c30.add(bias0).intoArray(z, zIdx); c31.add(bias1).intoArray(z, zIdx + VL);
    }

    /**
     * As {@link #tile4} for a block of one run (a wide kernel row: every layer past the first):
     * the input index is affine in the loop variable, so C2 hoists the range checks. A method of
     * its own: two loops sharing the accumulators in one method spilled again. The epilogue is
     * repeated on purpose: handed to a helper as vector arguments it was not inlined, and the
     * boxed vectors made the convolution 15x slower.
     */
    private static void tile4Run(Plan plan, float[] in, int a0, int a1, int a2, int a3, int r0, int t0, int t1,
                              boolean first, boolean last, int bIdx, int biasIdx, float[] z, int zIdx, int ldz) {
        float[] pb = plan.packed;
        int d1 = a1 - a0, d2 = a2 - a0, d3 = a3 - a0, q1 = r0 * plan.runLen + t1;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        int q0 = r0 * plan.runLen + t0, i0 = a0 + plan.runOffset[r0] - r0 * plan.runLen;
        for (int q = q0; q < q1; q++) {
            int bt = bIdx + q * NR, it = i0 + q;
            FloatVector b0 = FloatVector.fromArray(S, pb, bt);
            FloatVector b1 = FloatVector.fromArray(S, pb, bt + VL);
            FloatVector av = FloatVector.broadcast(S, in[it]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, in[it + d1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, in[it + d2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, in[it + d3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        float[] add = last ? plan.bias : plan.zeros;
        FloatVector bias0 = FloatVector.fromArray(S, add, biasIdx), bias1 = FloatVector.fromArray(S, add, biasIdx + VL);
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, z, zIdx)); c01 = c01.add(FloatVector.fromArray(S, z, zIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, z, zIdx + ldz)); c11 = c11.add(FloatVector.fromArray(S, z, zIdx + ldz + VL));
            c20 = c20.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz)); c21 = c21.add(FloatVector.fromArray(S, z, zIdx + 2 * ldz + VL));
            c30 = c30.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz)); c31 = c31.add(FloatVector.fromArray(S, z, zIdx + 3 * ldz + VL));
        }
        c00.add(bias0).intoArray(z, zIdx); c01.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c10.add(bias0).intoArray(z, zIdx); c11.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c20.add(bias0).intoArray(z, zIdx); c21.add(bias1).intoArray(z, zIdx + VL); zIdx += ldz;
        c30.add(bias0).intoArray(z, zIdx); c31.add(bias1).intoArray(z, zIdx + VL);
    }
}
