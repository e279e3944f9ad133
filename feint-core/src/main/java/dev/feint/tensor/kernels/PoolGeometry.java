package dev.feint.tensor.kernels;

/**
 * Sizes of a 2-D pooling over [planes, h, w]: window kh x kw with dilations, strides and padding per
 * side, and the output size (ONNX's MaxPool / AveragePool rule, see {@link #of}). Output pixel
 * (i, j) covers input (i * strideH - padTop + u * dilH, j * strideW - padLeft + v * dilW).
 *
 * @param planes planes pooled (images times channels)
 * @param h input height
 * @param w input width
 * @param kh kernel (window) height
 * @param kw kernel (window) width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padTop padding rows before the input
 * @param padLeft padding columns before the input
 * @param padBottom padding rows after the input
 * @param padRight padding columns after the input
 * @param dilH vertical spacing of the taps
 * @param dilW horizontal spacing of the taps
 * @param outH output height
 * @param outW output width
 */
public record PoolGeometry(int planes, int h, int w, int kh, int kw, int strideH, int strideW,
                           int padTop, int padLeft, int padBottom, int padRight, int dilH, int dilW, int outH, int outW) {
    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size, stride, dilation or padding is out of range
     */
    public PoolGeometry {
        if (planes < 0 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1
                || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0 || outH < 1 || outW < 1)
            throw new IllegalArgumentException("bad pooling geometry " + h + "x" + w + " window " + kh + "x" + kw
                    + " stride " + strideH + "x" + strideW + " dilation " + dilH + "x" + dilW);
    }

    /**
     * The geometry with ONNX's output size: floor (or with {@code ceilMode} ceil) of (padded size -
     * dilated window) / stride, plus 1; in ceil mode a last window that would start past the input
     * and its top or left padding is dropped (as ONNX's reference and PyTorch do).
     *
     * @param planes planes pooled (images times channels)
     * @param h input height
     * @param w input width
     * @param kh kernel (window) height
     * @param kw kernel (window) width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padTop padding rows before the input
     * @param padLeft padding columns before the input
     * @param padBottom padding rows after the input
     * @param padRight padding columns after the input
     * @param dilH vertical spacing of the taps
     * @param dilW horizontal spacing of the taps
     * @param ceilMode round the output size up instead of down
     * @return the geometry
     */
    public static PoolGeometry of(int planes, int h, int w, int kh, int kw, int strideH, int strideW,
                                  int padTop, int padLeft, int padBottom, int padRight, int dilH, int dilW, boolean ceilMode) {
        int extH = dilH * (kh - 1) + 1, extW = dilW * (kw - 1) + 1;
        if (h + padTop + padBottom < extH || w + padLeft + padRight < extW)
            throw new IllegalArgumentException("pooling window " + extH + "x" + extW + " (dilated) is larger than the padded input "
                    + (h + padTop + padBottom) + "x" + (w + padLeft + padRight));
        return new PoolGeometry(planes, h, w, kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight, dilH, dilW,
                outSize(h, padTop, padBottom, extH, strideH, ceilMode), outSize(w, padLeft, padRight, extW, strideW, ceilMode));
    }

    private static int outSize(int in, int before, int after, int ext, int stride, boolean ceil) {
        int span = in + before + after - ext;
        int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + before) out--;
        return out;
    }

    /** {@return the elements of one output plane, outH * outW} */
    public int outPlane() { return outH * outW; }
}
