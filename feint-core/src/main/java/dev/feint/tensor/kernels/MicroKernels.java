package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s register-blocked micro-kernels: an MR x 2VL tile of C (MR = {@link Gemm#MR}, 4 or
 * 6 rows) or MR x VL for a narrow last panel, over packed A slivers (MR values per step) and packed
 * B panels (NR = 2VL or VL values per step). Each tile is written out by hand for its row count:
 * the accumulators must be locals for C2 to keep them in registers. So are the epilogues: with a
 * store helper per accumulator, C2 stopped inlining at its node-count cutoff before the last call,
 * whose vector was then boxed and added on the Vector API's Java fallback (a float[] per call:
 * a fifth of a training step's allocations).
 */
final class MicroKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final int MR = Gemm.MR, NR = Gemm.NR;

    private MicroKernels() {}

    /** MR x 2VL micro-kernel: C[MR][2VL] (+)= sum_p A[p][0..MR) x B[p][0..2VL). */
    static void wide(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                   float[] c, int cIdx, int ldc, boolean add) {
        if (MR == 6) wide6(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
        else wide4(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
    }

    /** MR x VL micro-kernel for the narrow last panel (packed VL wide). */
    static void narrow(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                     float[] c, int cIdx, int ldc, boolean add) {
        if (MR == 6) narrow6(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
        else narrow4(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
    }

    /**
     * 4 x 2VL micro-kernel over a packed A sliver (four values per step). The stride is a constant
     * on purpose: with it a parameter ({@link #wide4Strided}, even when passed 4) the same loop
     * ran at 72-74 GFLOP/s against 88-91 in L1 on the Zen 3 machine (one thread, best of 9 runs,
     * three rounds each).
     */
    private static void wide4(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                            float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 4, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL);
    }

    /**
     * 4 x 2VL micro-kernel with the four A values of step p at pa[aIdx + p * aStride ..] ({@link
     * WinogradWeightGrad} passes its channel count to read A in place; packed slivers take {@link #wide4}).
     */
    static void wide4Strided(int kc, float[] pa, int aIdx, int aStride, float[] pb, int bIdx,
                            float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * aStride, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL);
    }

    private static void narrow4(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                      float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, pb, bIdx + p * VL);
            c0 = FloatVector.broadcast(S, pa[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, pa[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, pa[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, pa[ai + 3]).fma(b0, c3);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(S, c, cIdx));
            c1 = c1.add(FloatVector.fromArray(S, c, cIdx + ldc));
            c2 = c2.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c3 = c3.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
        }
        c0.intoArray(c, cIdx); cIdx += ldc;
        c1.intoArray(c, cIdx); cIdx += ldc;
        c2.intoArray(c, cIdx); cIdx += ldc;
        c3.intoArray(c, cIdx);
    }

    private static void wide6(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                   float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        // Indices derived from p (not separate running counters) so C2 can hoist the range checks.
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + VL));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + VL));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ldc;
        c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL); cIdx += ldc;
        c50.intoArray(c, cIdx); c51.intoArray(c, cIdx + VL);
    }

    private static void narrow6(int kc, float[] pa, int aIdx, float[] pb, int bIdx,
                                     float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6;
            FloatVector b0 = FloatVector.fromArray(S, pb, bIdx + p * VL);
            c0 = FloatVector.broadcast(S, pa[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, pa[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, pa[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, pa[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, pa[ai + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, pa[ai + 5]).fma(b0, c5);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(S, c, cIdx));
            c1 = c1.add(FloatVector.fromArray(S, c, cIdx + ldc));
            c2 = c2.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
            c3 = c3.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
            c4 = c4.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
            c5 = c5.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
        }
        c0.intoArray(c, cIdx); cIdx += ldc;
        c1.intoArray(c, cIdx); cIdx += ldc;
        c2.intoArray(c, cIdx); cIdx += ldc;
        c3.intoArray(c, cIdx); cIdx += ldc;
        c4.intoArray(c, cIdx); cIdx += ldc;
        c5.intoArray(c, cIdx);
    }

    /**
     * 12 x 2VL micro-kernel on AVX-512 (MR = 6 only): two 6-row A slivers (at aIdx and aIdx2)
     * against one B panel, 24 accumulators, C's 12 rows from cIdx. Each B row is loaded once for 12
     * rows instead of 6: in L1/L2 on one thread 150-157 GFLOP/s against 131-143 for {@link #wide6}
     * (docs/runs/trainshare-2026-12-03/MK.java). Each element's sum is the same chain in the same
     * order as wide6's: the same bits. Used by {@link WinogradConv}'s interleaved products; in
     * {@link Gemm}'s loop it made madry-cnn's training step slower (92-95 -> 94-99 ms, one thread)
     * although the linear layer's products alone gained up to 6%, so Gemm keeps {@link #wide6}.
     */
    static void wide12(int kc, float[] pa, int aIdx, int aIdx2, float[] pb, int bIdx,
                       float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector d00 = c00, d01 = c00, d10 = c00, d11 = c00, d20 = c00, d21 = c00, d30 = c00, d31 = c00, d40 = c00, d41 = c00, d50 = c00, d51 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * 6, aj = aIdx2 + p * 6, bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + VL);
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, pa[aj]);
            d00 = av.fma(b0, d00); d01 = av.fma(b1, d01);
            av = FloatVector.broadcast(S, pa[aj + 1]);
            d10 = av.fma(b0, d10); d11 = av.fma(b1, d11);
            av = FloatVector.broadcast(S, pa[aj + 2]);
            d20 = av.fma(b0, d20); d21 = av.fma(b1, d21);
            av = FloatVector.broadcast(S, pa[aj + 3]);
            d30 = av.fma(b0, d30); d31 = av.fma(b1, d31);
            av = FloatVector.broadcast(S, pa[aj + 4]);
            d40 = av.fma(b0, d40); d41 = av.fma(b1, d41);
            av = FloatVector.broadcast(S, pa[aj + 5]);
            d50 = av.fma(b0, d50); d51 = av.fma(b1, d51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx)); c01 = c01.add(FloatVector.fromArray(S, c, cIdx + VL));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc)); c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + VL));
            c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)); c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + VL));
            c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)); c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + VL));
            c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc)); c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + VL));
            c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc)); c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + VL));
            d00 = d00.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc)); d01 = d01.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc + VL));
            d10 = d10.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc)); d11 = d11.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc + VL));
            d20 = d20.add(FloatVector.fromArray(S, c, cIdx + 8 * ldc)); d21 = d21.add(FloatVector.fromArray(S, c, cIdx + 8 * ldc + VL));
            d30 = d30.add(FloatVector.fromArray(S, c, cIdx + 9 * ldc)); d31 = d31.add(FloatVector.fromArray(S, c, cIdx + 9 * ldc + VL));
            d40 = d40.add(FloatVector.fromArray(S, c, cIdx + 10 * ldc)); d41 = d41.add(FloatVector.fromArray(S, c, cIdx + 10 * ldc + VL));
            d50 = d50.add(FloatVector.fromArray(S, c, cIdx + 11 * ldc)); d51 = d51.add(FloatVector.fromArray(S, c, cIdx + 11 * ldc + VL));
        }
        c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc;
        c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
        c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc;
        c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ldc;
        c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL); cIdx += ldc;
        c50.intoArray(c, cIdx); c51.intoArray(c, cIdx + VL); cIdx += ldc;
        d00.intoArray(c, cIdx); d01.intoArray(c, cIdx + VL); cIdx += ldc;
        d10.intoArray(c, cIdx); d11.intoArray(c, cIdx + VL); cIdx += ldc;
        d20.intoArray(c, cIdx); d21.intoArray(c, cIdx + VL); cIdx += ldc;
        d30.intoArray(c, cIdx); d31.intoArray(c, cIdx + VL); cIdx += ldc;
        d40.intoArray(c, cIdx); d41.intoArray(c, cIdx + VL); cIdx += ldc;
        d50.intoArray(c, cIdx); d51.intoArray(c, cIdx + VL);
    }
}
