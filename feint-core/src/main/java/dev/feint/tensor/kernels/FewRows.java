package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A * op(B) (+ C) for a C of one or two rows, without packing: B is streamed once, which is
 * all a batch-one linear layer can do. Each element sums over k in a fixed order (vector lanes
 * strided by the vector length, then the lanes in order; or k ascending), whatever the column
 * split, so results do not depend on the thread count (a vector FMA and {@link Math#fma} round
 * alike).
 */
final class FewRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[VL]);

    private FewRows() {}

    static void gemm(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            if (transB) dots(n, k, a, ai, b, bOff, ldb, c, ci, accumulate);
            else axpys(n, k, a, ai, b, bOff, ldb, c, ci, accumulate);
        }
    }

    /**
     * c[j] (+)= dot(a[0..k), row j of B stored n x k): contiguous rows, vector dot products, four
     * rows at a time so four FMA chains are in flight (one chain waits on the FMA latency: a
     * quarter of the speed) and each vector of a is loaded once for the four.
     */
    private static void dots(int n, int k, float[] a, int ai, float[] b, int bOff, int ldb, float[] c, int ci, boolean acc) {
        int bound = S.loopBound(k), j = 0;
        for (; j + 3 < n; j += 4) {
            int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < bound; p += VL) {
                FloatVector av = FloatVector.fromArray(S, a, ai + p);
                s0 = av.fma(FloatVector.fromArray(S, b, b0 + p), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, b1 + p), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, b2 + p), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, b3 + p), s3);
            }
            finish(s0, k, bound, a, ai, b, b0, c, ci + j, acc);
            finish(s1, k, bound, a, ai, b, b1, c, ci + j + 1, acc);
            finish(s2, k, bound, a, ai, b, b2, c, ci + j + 2, acc);
            finish(s3, k, bound, a, ai, b, b3, c, ci + j + 3, acc);
        }
        for (; j < n; j++) {
            int bj = bOff + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < bound; p += VL)
                s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s0);
            finish(s0, k, bound, a, ai, b, bj, c, ci + j, acc);
        }
    }

    /** c[cj] (+)= the lanes of s summed in order (reproducible bits), then the tail past bound. */
    private static void finish(FloatVector sum, int k, int bound, float[] a, int ai, float[] b, int bj, float[] c, int cj, boolean acc) {
        float[] lanes = LANES.get();
        sum.intoArray(lanes, 0);
        float s = 0f;
        for (float v : lanes) s += v;
        for (int p = bound; p < k; p++) s = Math.fma(a[ai + p], b[bj + p], s);
        c[cj] = acc ? c[cj] + s : s;
    }

    /** c[0..n) (+)= sum over p of a[p] * row p of B (stored k x n): one vector pass per row of B. */
    private static void axpys(int n, int k, float[] a, int ai, float[] b, int bOff, int ldb, float[] c, int ci, boolean acc) {
        if (!acc) java.util.Arrays.fill(c, ci, ci + n, 0f);
        int bound = S.loopBound(n);
        for (int p = 0; p < k; p++) {
            float ap = a[ai + p];
            FloatVector av = FloatVector.broadcast(S, ap);
            int bp = bOff + p * ldb, j = 0;
            for (; j < bound; j += VL)
                av.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, c, ci + j)).intoArray(c, ci + j);
            for (; j < n; j++) c[ci + j] = Math.fma(ap, b[bp + j], c[ci + j]);
        }
    }
}
