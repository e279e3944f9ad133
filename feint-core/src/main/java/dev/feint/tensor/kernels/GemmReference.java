package dev.feint.tensor.kernels;

/** Plain scalar GEMM, kept as the reference the fast kernels are tested against. */
public final class GemmReference {
    private GemmReference() {}

    /**
     * C = op(A) * op(B) (+ C when accumulate). Row-major; op(A) is m x k, op(B) is k x n.
     * With transA, A is stored k x m (element (i,p) at a[aOff + p*lda + i]); likewise transB.
     *
     * @param transA whether op(A) is A transposed (A then stored k x m)
     * @param transB whether op(B) is B transposed (B then stored n x k)
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param a A, row-major
     * @param aOff where A starts in {@code a}
     * @param lda A's row stride (leading dimension)
     * @param b B, row-major
     * @param bOff where B starts in {@code b}
     * @param ldb B's row stride
     * @param c C, row-major, written (or added to)
     * @param cOff where C starts in {@code c}
     * @param ldc C's row stride
     * @param accumulate add to C instead of overwriting it
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + (float) s : (float) s;
            }
        }
    }
}
