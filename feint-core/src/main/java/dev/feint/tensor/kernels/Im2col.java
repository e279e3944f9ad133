package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col / col2im for one NCHW image. The column matrix is [c*kh*kw][outH*outW] row-major, row
 * (c*kh + u)*kw + v holding input pixel (i*sH - pH + u*dH, j*sW - pW + v*dW) at column i*outW + j,
 * and 0 where that pixel falls in the padding.
 *
 * <p>Output rows are short (often 7-28 floats), so {@code System.arraycopy} and C2's
 * auto-vectorised loops (which fall back to scalar tails) both waste most of the time on
 * overhead; with a unit column stride each row is copied with masked vector loads and stores.
 */
final class Im2col {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private Im2col() {}

    /** col = im2col(x[xOff ..]) for one image; col must hold patch() * outH * outW floats. */
    static void im2col(ConvGeometry g, float[] x, int xOff, float[] col) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        int sh = g.strideH(), sw = g.strideW();
        for (int c = 0; c < g.c(); c++)
            for (int u = 0; u < g.kh(); u++)
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * ohw;
                    int off = v * g.dilW() - g.padW();                // input column = j*sw + off
                    int jLo = jLow(off, sw), jHi = Math.max(jLo, jHigh(off, sw, w, ow));
                    for (int i = 0; i < oh; i++) {
                        int y = i * sh - g.padH() + u * g.dilH(), d = row + i * ow;
                        if (y < 0 || y >= h || jLo == jHi) {
                            java.util.Arrays.fill(col, d, d + ow, 0f);
                            continue;
                        }
                        for (int j = 0; j < jLo; j++) col[d + j] = 0f;
                        for (int j = jHi; j < ow; j++) col[d + j] = 0f;
                        int s = xOff + (c * h + y) * w + off;          // input index of j = 0
                        if (sw == 1) {
                            for (int j = jLo; j < jHi; j += VL) {
                                VectorMask<Float> m = S.indexInRange(j, jHi);
                                FloatVector.fromArray(S, x, s + j, m).intoArray(col, d + j, m);
                            }
                        } else {
                            for (int j = jLo; j < jHi; j++) col[d + j] = x[s + j * sw];
                        }
                    }
                }
    }

    /** gradX[xOff ..] += col2im(col): the adjoint of {@link #im2col}. */
    static void col2imAdd(ConvGeometry g, float[] col, float[] gradX, int xOff) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        int sh = g.strideH(), sw = g.strideW();
        for (int c = 0; c < g.c(); c++)
            for (int u = 0; u < g.kh(); u++)
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * ohw;
                    int off = v * g.dilW() - g.padW();
                    int jLo = jLow(off, sw), jHi = jHigh(off, sw, w, ow);
                    for (int i = 0; i < oh; i++) {
                        int y = i * sh - g.padH() + u * g.dilH();
                        if (y < 0 || y >= h) continue;
                        int d = row + i * ow, s = xOff + (c * h + y) * w + off;
                        if (sw == 1) {
                            // Lanes of one row hit distinct input pixels, so a vector add is safe.
                            for (int j = jLo; j < jHi; j += VL) {
                                VectorMask<Float> m = S.indexInRange(j, jHi);
                                FloatVector.fromArray(S, gradX, s + j, m)
                                        .add(FloatVector.fromArray(S, col, d + j, m))
                                        .intoArray(gradX, s + j, m);
                            }
                        } else {
                            for (int j = jLo; j < jHi; j++) gradX[s + j * sw] += col[d + j];
                        }
                    }
                }
    }

    /** First output column j whose input column j*sw + off is >= 0. */
    private static int jLow(int off, int sw) {
        return off >= 0 ? 0 : (-off + sw - 1) / sw;
    }

    /** One past the last output column j (< ow) whose input column j*sw + off is < w. */
    private static int jHigh(int off, int sw, int w, int ow) {
        int last = w - 1 - off;
        return last < 0 ? 0 : Math.min(ow, last / sw + 1);
    }
}
