package dev.feint.tensor.kernels;

/** Sizes of a 2-D convolution over NCHW input with OIHW weights. */
public record ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw,
                           int strideH, int strideW, int padH, int padW, int dilH, int dilW) {
    public ConvGeometry {
        if (n < 0 || c < 1 || h < 1 || w < 1 || o < 1 || kh < 1 || kw < 1)
            throw new IllegalArgumentException("bad conv sizes " + this);
        if (strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("bad conv stride/padding/dilation " + this);
        // Accessors read fields not yet assigned in a compact constructor: use the parameters.
        if ((h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1 < 1 || (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1 < 1
                || h + 2 * padH < dilH * (kh - 1) + 1 || w + 2 * padW < dilW * (kw - 1) + 1)
            throw new IllegalArgumentException("conv output would be empty for " + this);
    }

    public int outH() { return (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1; }

    public int outW() { return (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1; }

    /** Rows of the im2col matrix: c * kh * kw. */
    public int patch() { return c * kh * kw; }
}
