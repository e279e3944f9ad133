package dev.feint.tensor.kernels;

/**
 * Sizes of a 2-D convolution over NCHW input with weights [o, c / groups, kh, kw] (PyTorch's and
 * ONNX's layout): c input and o output channels split into {@code groups} independent groups, each
 * of c / groups inputs and o / groups outputs; groups == c is a depthwise convolution (o a multiple
 * of c). Padding per side: top and left before the first row and column, bottom and right after
 * the last. Output pixel (i, j) reads input (i * strideH - padTop + u * dilH, j * strideW - padLeft
 * + v * dilW) for kernel tap (u, v).
 *
 * @param n images in the batch
 * @param c input channels
 * @param h input height
 * @param w input width
 * @param o output channels
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
 * @param groups channel groups, dividing c and o
 */
public record ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw, int strideH, int strideW,
                           int padTop, int padLeft, int padBottom, int padRight, int dilH, int dilW, int groups) {
    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size, stride, dilation or padding is out of range, the groups do
     *         not divide the channels, or the output would be empty
     */
    public ConvGeometry {
        if (n < 0 || c < 1 || h < 1 || w < 1 || o < 1 || kh < 1 || kw < 1)
            throw new IllegalArgumentException("bad conv sizes " + describe(n, c, h, w, o, kh, kw));
        if (strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1 || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0)
            throw new IllegalArgumentException("bad conv stride " + strideH + "x" + strideW + ", padding (top, left, bottom, right) ("
                    + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight + ") or dilation " + dilH + "x" + dilW
                    + ": expected stride and dilation >= 1, padding >= 0");
        if (groups < 1 || c % groups != 0 || o % groups != 0)
            throw new IllegalArgumentException("conv groups " + groups + " must divide the input channels " + c
                    + " and the output channels " + o);
        // Accessors read fields not yet assigned in a compact constructor: use the parameters.
        if (h + padTop + padBottom < dilH * (kh - 1) + 1 || w + padLeft + padRight < dilW * (kw - 1) + 1)
            throw new IllegalArgumentException("conv output would be empty: input " + h + "x" + w + " padded ("
                    + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight + ") is smaller than the dilated kernel "
                    + (dilH * (kh - 1) + 1) + "x" + (dilW * (kw - 1) + 1));
    }

    /**
     * Symmetric padding, one group (the common case).
     *
     * @param n images in the batch
     * @param c input channels
     * @param h input height
     * @param w input width
     * @param o output channels
     * @param kh kernel (window) height
     * @param kw kernel (window) width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH padding rows above and below
     * @param padW padding columns left and right
     * @param dilH vertical spacing of the taps
     * @param dilW horizontal spacing of the taps
     */
    public ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw,
                        int strideH, int strideW, int padH, int padW, int dilH, int dilW) {
        this(n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, padH, padW, dilH, dilW, 1);
    }

    private static String describe(int n, int c, int h, int w, int o, int kh, int kw) {
        return "input [" + n + ", " + c + ", " + h + ", " + w + "], " + o + " output channels, kernel " + kh + "x" + kw;
    }

    /** {@return the output height} */
    public int outH() { return (h + padTop + padBottom - dilH * (kh - 1) - 1) / strideH + 1; }

    /** {@return the output width} */
    public int outW() { return (w + padLeft + padRight - dilW * (kw - 1) - 1) / strideW + 1; }

    /** {@return input channels per group} */
    public int cg() { return c / groups; }

    /** {@return output channels per group} */
    public int og() { return o / groups; }

    /** {@return rows of one group's im2col matrix, and floats of one output channel's weights: c / groups * kh * kw} */
    public int patch() { return c / groups * kh * kw; }

    /** {@return the height of the zero-padded input} */
    public int paddedH() { return h + padTop + padBottom; }

    /** {@return the width of the zero-padded input} */
    public int paddedW() { return w + padLeft + padRight; }

    /** {@return whether each input channel has its own filters (groups == c > 1; o a multiple of c)} */
    public boolean depthwise() { return groups > 1 && groups == c; }

    /** {@return the convolution of one group on its own (groups 1, c / groups in, o / groups out)} */
    public ConvGeometry group() {
        return new ConvGeometry(n, c / groups, h, w, o / groups, kh, kw, strideH, strideW,
                padTop, padLeft, padBottom, padRight, dilH, dilW, 1);
    }

    /**
     * The same convolution over a batch of {@code images}.
     *
     * @param images the batch size
     * @return the geometry with n = images
     */
    public ConvGeometry withBatch(int images) {
        return new ConvGeometry(images, c, h, w, o, kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight, dilH, dilW, groups);
    }
}
