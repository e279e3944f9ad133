package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inference forward of a depthwise 3x3 convolution with multiplier 1 (MobileNet's) on a
 * channels-last input read where it is, into a channels-last output clamped in the store: no
 * padded copy of the input and no intermediate result. {@link DepthwiseConv}'s padded path wrote
 * the whole input into a zero-bordered buffer and the result into a scratch buffer before the
 * clamped store: for a stride-2 layer that is more memory traffic than its 9 multiply-adds per
 * output. Pixels whose taps all fall inside the image run nine loads and FMAs; border pixels
 * skip the taps in the padding. Taps are summed in the padded path's order (bias first), and a
 * skipped tap would have added 0 x w, so the values are the same (up to the sign of a zero).
 */
final class DepthwiseInPlace {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private DepthwiseInPlace() {}

    /** Whether {@link #forward} runs g: 3x3, one output per input channel, whole channel vectors. */
    static boolean applies(ConvGeometry g) {
        return g.depthwise() && g.o() == g.c() && g.c() % VL == 0 && g.kh() == 3 && g.kw() == 3;
    }

    /**
     * out[n][oy][ox][ch] = clamp(bias[ch] + sum over the 9 taps of x[n][iy][ix][ch] * w[tap][ch])
     * for the channels of vector blocks [b0, b1).
     *
     * @param g the geometry ({@link #applies})
     * @param x the input, [n][h][w][c]
     * @param n the image
     * @param packed the weights [tap][oPad], as {@link DepthwiseConv}'s plan packs them
     * @param oPad the channels of a packed tap (the vector blocks times VL)
     * @param bias the bias [oPad]
     * @param lo the clamp's lower bound (-inf for none)
     * @param hi the clamp's upper bound (+inf for none)
     * @param out the output, [n][outH][outW][o]
     * @param b0 the first channel block
     * @param b1 the end of the channel blocks
     */
    static void forward(ConvGeometry g, float[] x, int n, float[] packed, int oPad, float[] bias, float lo, float hi,
                        float[] out, int b0, int b1) {
        int c = g.c();
        forward(g, x, n * g.h() * g.w() * c, c, packed, oPad, bias, lo, hi, out, n * g.outH() * g.outW() * c, 0, g.outH(), b0, b1);
    }

    /**
     * As {@link #forward(ConvGeometry, float[], int, float[], int, float[], float, float, float[], int, int)}
     * for one image's output rows [oy0, oy1), its input pixel (iy, ix) at x[xImg + (iy * w + ix) * ldx]
     * and its output pixel (oy, ox) at out[outImg + (oy * outW + ox) * c]: {@link FusedInvertedResidual}
     * hands in a band of rows of a buffer with a wider pixel stride (only the band's rows are read).
     */
    static void forward(ConvGeometry g, float[] x, int xImg, int ldx, float[] packed, int oPad, float[] bias, float lo, float hi,
                        float[] out, int outImg, int oy0, int oy1, int b0, int b1) {
        int c = g.c(), h = g.h(), w = g.w(), ow = g.outW(), sh = g.strideH(), sw = g.strideW();
        int dh = g.dilH(), dw = g.dilW(), pt = g.padTop(), pl = g.padLeft();
        // The output columns whose three taps are all inside the image (the same for every row).
        int oxLo = Math.min(ow, Math.max(0, (pl + sw - 1) / sw)), oxHi = Math.max(oxLo, Math.min(ow, (w - 1 - 2 * dw + pl) / sw + 1));
        if (w - 1 - 2 * dw + pl < 0) oxHi = oxLo;
        boolean clampLo = lo != Float.NEGATIVE_INFINITY, clampHi = hi != Float.POSITIVE_INFINITY;
        FloatVector vlo = FloatVector.broadcast(S, lo), vhi = FloatVector.broadcast(S, hi);
        int t1 = dw * ldx, t2 = 2 * dw * ldx, rowStep = dh * w * ldx;
        for (int cb = b0 * VL, end = Math.min(c, b1 * VL); cb < end; cb += VL) {
            FloatVector w0 = FloatVector.fromArray(S, packed, cb), w1 = FloatVector.fromArray(S, packed, oPad + cb);
            FloatVector w2 = FloatVector.fromArray(S, packed, 2 * oPad + cb), w3 = FloatVector.fromArray(S, packed, 3 * oPad + cb);
            FloatVector w4 = FloatVector.fromArray(S, packed, 4 * oPad + cb), w5 = FloatVector.fromArray(S, packed, 5 * oPad + cb);
            FloatVector w6 = FloatVector.fromArray(S, packed, 6 * oPad + cb), w7 = FloatVector.fromArray(S, packed, 7 * oPad + cb);
            FloatVector w8 = FloatVector.fromArray(S, packed, 8 * oPad + cb), b = FloatVector.fromArray(S, bias, cb);
            for (int oy = oy0; oy < oy1; oy++) {
                int iy = oy * sh - pt;
                boolean rowInside = iy >= 0 && iy + 2 * dh < h;
                int dstRow = outImg + oy * ow * c + cb;
                for (int ox = 0; ox < ow; ox++) {
                    FloatVector acc;
                    if (rowInside && ox >= oxLo && ox < oxHi) {
                        int i = xImg + (iy * w + ox * sw - pl) * ldx + cb, j = i + rowStep, k = j + rowStep;
                        acc = FloatVector.fromArray(S, x, i).fma(w0, b);
                        acc = FloatVector.fromArray(S, x, i + t1).fma(w1, acc);
                        acc = FloatVector.fromArray(S, x, i + t2).fma(w2, acc);
                        acc = FloatVector.fromArray(S, x, j).fma(w3, acc);
                        acc = FloatVector.fromArray(S, x, j + t1).fma(w4, acc);
                        acc = FloatVector.fromArray(S, x, j + t2).fma(w5, acc);
                        acc = FloatVector.fromArray(S, x, k).fma(w6, acc);
                        acc = FloatVector.fromArray(S, x, k + t1).fma(w7, acc);
                        acc = FloatVector.fromArray(S, x, k + t2).fma(w8, acc);
                    } else {
                        // A border pixel: the taps inside the image, in order.
                        int ix = ox * sw - pl, i = xImg + (iy * w + ix) * ldx + cb, j = i + rowStep, k = j + rowStep;
                        boolean y0 = iy >= 0 && iy < h, y1 = iy + dh >= 0 && iy + dh < h, y2 = iy + 2 * dh >= 0 && iy + 2 * dh < h;
                        boolean x0 = ix >= 0 && ix < w, x1 = ix + dw >= 0 && ix + dw < w, x2 = ix + 2 * dw >= 0 && ix + 2 * dw < w;
                        acc = b;
                        if (y0 && x0) acc = FloatVector.fromArray(S, x, i).fma(w0, acc);
                        if (y0 && x1) acc = FloatVector.fromArray(S, x, i + t1).fma(w1, acc);
                        if (y0 && x2) acc = FloatVector.fromArray(S, x, i + t2).fma(w2, acc);
                        if (y1 && x0) acc = FloatVector.fromArray(S, x, j).fma(w3, acc);
                        if (y1 && x1) acc = FloatVector.fromArray(S, x, j + t1).fma(w4, acc);
                        if (y1 && x2) acc = FloatVector.fromArray(S, x, j + t2).fma(w5, acc);
                        if (y2 && x0) acc = FloatVector.fromArray(S, x, k).fma(w6, acc);
                        if (y2 && x1) acc = FloatVector.fromArray(S, x, k + t1).fma(w7, acc);
                        if (y2 && x2) acc = FloatVector.fromArray(S, x, k + t2).fma(w8, acc);
                    }
                    if (clampLo) acc = acc.blend(vlo, acc.compare(VectorOperators.LT, vlo));
                    if (clampHi) acc = acc.blend(vhi, acc.compare(VectorOperators.GT, vhi));
                    acc.intoArray(out, dstRow + ox * c);
                }
            }
        }
    }
}
