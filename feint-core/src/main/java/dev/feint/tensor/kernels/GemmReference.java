package dev.feint.tensor.kernels;

/** Plain scalar GEMM, kept as the reference the fast kernels are tested against. */
public final class GemmReference {
    private GemmReference() {}

    /**
     * C = op(A) * op(B) (+ C when accumulate). Row-major; op(A) is m x k, op(B) is k x n.
     * With transA, A is stored k x m (element (i,p) at a[aOff + p*lda + i]); likewise transB.
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
