package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conversions between the row-major NCHW layout of {@link dev.feint.tensor.Tensor} and the
 * channels-last NHWC layout the inference kernels pass from one convolution to the next. Both are
 * a transpose of each image's [c][hw] matrix, done in square blocks so that the strided side of
 * each block stays in L1; a plane of one pixel (or one channel) is the same in both layouts.
 */
public final class Layouts {
    /** Side of a transposed block: 16 x 16 floats, one cache line per row of each side. */
    private static final int B = 16;

    private Layouts() {}

    /**
     * A new NCHW array holding nhwc[n][h][w][c].
     *
     * @param nhwc the values, [n][h][w][c]
     * @param n images
     * @param c channels
     * @param h height
     * @param w width
     * @return a new NCHW array
     */
    public static float[] toNchw(float[] nhwc, int n, int c, int h, int w) {
        int hw = h * w;
        if (hw == 1 || c == 1) return nhwc.clone();
        float[] out = new float[nhwc.length];
        for (int i = 0; i < n; i++) transpose(nhwc, i * hw * c, hw, c, out, i * hw * c);
        return out;
    }

    /** nhwc[dOff ..] = image {@code image} of x (NCHW, c x h x w) channels-last. */
    static void toNhwc(float[] x, int image, int c, int hw, float[] nhwc, int dOff) {
        transpose(x, image * c * hw, c, hw, nhwc, dOff);
    }

    /** dst[dOff + j * rows + i] = src[sOff + i * cols + j] for a rows x cols matrix. */
    static void transpose(float[] src, int sOff, int rows, int cols, float[] dst, int dOff) {
        for (int i0 = 0; i0 < rows; i0 += B) {
            int i1 = Math.min(rows, i0 + B);
            for (int j0 = 0; j0 < cols; j0 += B) {
                int j1 = Math.min(cols, j0 + B);
                for (int i = i0; i < i1; i++)
                    for (int j = j0, s = sOff + i * cols + j0, d = dOff + j0 * rows + i; j < j1; j++, s++, d += rows) dst[d] = src[s];
            }
        }
    }

    /**
     * nhwc[i][p][ch] += nchw[i][ch][p] for n images of c channels and h * w pixels (a row-major
     * gradient merged into a channels-last one).
     *
     * @param nchw the row-major addend
     * @param n images
     * @param c channels
     * @param h rows
     * @param w columns
     * @param nhwc the channels-last sum, added to
     */
    public static void addToNhwc(float[] nchw, int n, int c, int h, int w, float[] nhwc) {
        int hw = h * w;
        for (int i = 0; i < n; i++) transposeAdd(nchw, i * hw * c, c, hw, nhwc, i * hw * c);
    }

    /**
     * nchw[i][ch][p] += nhwc[i][p][ch] (a channels-last gradient merged into a row-major one).
     *
     * @param nhwc the channels-last addend
     * @param n images
     * @param c channels
     * @param h rows
     * @param w columns
     * @param nchw the row-major sum, added to
     */
    public static void addToNchw(float[] nhwc, int n, int c, int h, int w, float[] nchw) {
        int hw = h * w;
        for (int i = 0; i < n; i++) transposeAdd(nhwc, i * hw * c, hw, c, nchw, i * hw * c);
    }

    /** dst[dOff + j * rows + i] += src[sOff + i * cols + j], in blocks as {@link #transpose}. */
    static void transposeAdd(float[] src, int sOff, int rows, int cols, float[] dst, int dOff) {
        for (int i0 = 0; i0 < rows; i0 += B) {
            int i1 = Math.min(rows, i0 + B);
            for (int j0 = 0; j0 < cols; j0 += B) {
                int j1 = Math.min(cols, j0 + B);
                for (int i = i0; i < i1; i++)
                    for (int j = j0, s = sOff + i * cols + j0, d = dOff + j0 * rows + i; j < j1; j++, s++, d += rows) dst[d] += src[s];
            }
        }
    }

    /**
     * dst[dOff + p * c + ch] += src[sOff + p * ld + ch] for pixel rows p in [0, rows) and channels
     * [0, c): a kernel's padded result rows (ld floats apart) added to a channels-last gradient.
     */
    static void addRows(float[] src, int sOff, int ld, int rows, int c, float[] dst, int dOff) {
        VectorSpecies<Float> sp = FloatVector.SPECIES_PREFERRED;
        int vl = sp.length(), bound = c / vl * vl;
        for (int p = 0; p < rows; p++) {
            int s = sOff + p * ld, d = dOff + p * c, ch = 0;
            for (; ch < bound; ch += vl)
                FloatVector.fromArray(sp, src, s + ch).add(FloatVector.fromArray(sp, dst, d + ch))
                        .intoArray(dst, d + ch);
            for (; ch < c; ch++) dst[d + ch] += src[s + ch];
        }
    }
}
