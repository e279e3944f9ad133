package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * col2im for one NCHW image (the input gradient of a strided or dilated convolution: {@link
 * Conv2dKernels}). The column matrix is [c*kh*kw][outH*outW] row-major: row
 * (c*kh + u)*kw + v holds input pixel (i*sH - pH + u*dH, j*sW - pW + v*dW) at column i*outW + j,
 * and 0 where that pixel falls in the padding.
 *
 * <p>Why it looks like this: output rows are short (often 7-28 floats), so per-row bounds logic,
 * short scalar loops and {@code System.arraycopy} cost more than the copying. The columns are
 * added into a zero-bordered buffer (every tap then lands inside it, no clipping), each output
 * row with whole vectors plus one masked tail whose mask is built once per call
 * ({@code indexInRange} with non-constant bounds costs about as much as the copy itself).
 */
final class Im2col {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    /** Per-thread zero-bordered image buffer. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    private Im2col() {}

    /** gradX[xOff ..] += col2im(col): the adjoint of im2col. */
    static void col2imAdd(ConvGeometry g, float[] col, float[] gradX, int xOff) {
        int h = g.h(), w = g.w(), hp = g.paddedH(), wp = g.paddedW();
        int oh = g.outH(), ow = g.outW(), ohw = oh * ow;
        int sh = g.strideH(), sw = g.strideW(), full = ow / VL * VL;
        VectorMask<Float> tail = S.indexInRange(0, ow - full);
        boolean pad = padded(g.padTop(), g.padLeft(), g.padBottom(), g.padRight());
        float[] dst = gradX;
        int base = xOff;
        if (pad) {                                   // accumulate into a zeroed bordered buffer
            dst = padded(g);
            base = 0;
            java.util.Arrays.fill(dst, 0, g.c() * hp * wp, 0f);
        }
        for (int c = 0; c < g.c(); c++)
            for (int u = 0; u < g.kh(); u++)
                for (int v = 0; v < g.kw(); v++) {
                    int d = ((c * g.kh() + u) * g.kw() + v) * ohw;
                    int s0 = base + (c * hp + u * g.dilH()) * wp + v * g.dilW();
                    for (int i = 0; i < oh; i++, d += ow) {
                        int s = s0 + i * sh * wp;
                        if (sw == 1) {
                            // Lanes of one row hit distinct pixels, so a vector add is safe.
                            int j = 0;
                            for (; j < full; j += VL)
                                FloatVector.fromArray(S, dst, s + j).add(FloatVector.fromArray(S, col, d + j)).intoArray(dst, s + j);
                            if (j < ow)
                                FloatVector.fromArray(S, dst, s + j, tail).add(FloatVector.fromArray(S, col, d + j, tail))
                                        .intoArray(dst, s + j, tail);
                        } else {
                            for (int j = 0; j < ow; j++) dst[s + j * sw] += col[d + j];
                        }
                    }
                }
        if (pad)                                     // interior of the buffer back into gradX
            for (int c = 0; c < g.c(); c++)
                for (int y = 0; y < h; y++)
                    addRow(dst, (c * hp + y + g.padTop()) * wp + g.padLeft(), gradX, xOff + (c * h + y) * w, w);
    }

    private static void addRow(float[] src, int s, float[] dst, int d, int len) {
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += VL)
            FloatVector.fromArray(S, dst, d + j).add(FloatVector.fromArray(S, src, s + j)).intoArray(dst, d + j);
        for (; j < len; j++) dst[d + j] += src[s + j];
    }

    private static boolean padded(int top, int left, int bottom, int right) { return (top | left | bottom | right) != 0; }

    private static float[] padded(ConvGeometry g) {
        int size = g.c() * g.paddedH() * g.paddedW();
        float[][] holder = PADDED.get();
        // One vector of slack: a masked access whose full vector would cross the array's end
        // leaves the intrinsic for a per-lane Java fallback (measured at 5% of a PGD step).
        if (holder[0].length < size) holder[0] = new float[size + VL];
        return holder[0];
    }
}
