package dev.feint.autograd;

import dev.feint.tensor.kernels.PoolGeometry;

/**
 * A 2-D pooling window with ONNX MaxPool / AveragePool semantics: kernel, strides and dilations
 * per axis, padding per side (ONNX's {@code pads} = [top, left, bottom, right]), {@code ceilMode}
 * (the output size rounded up, a last window that would start past the input and its top/left
 * padding dropped) and {@code countIncludePad} (average pooling divides by the window's taps inside
 * the padded input instead of inside the input; ignored by max pooling).
 *
 * <pre>{@code Tensor y = Pooling.maxPool2d(x, PoolOptions.of(3, 2, 1));}</pre>
 *
 * @param kernelH         window height, at least 1
 * @param kernelW         window width, at least 1
 * @param strideH         vertical stride, at least 1
 * @param strideW         horizontal stride, at least 1
 * @param padTop          padding rows before the input
 * @param padLeft         padding columns before the input
 * @param padBottom       padding rows after the input
 * @param padRight        padding columns after the input
 * @param dilationH       vertical spacing of the window taps, at least 1
 * @param dilationW       horizontal spacing of the window taps, at least 1
 * @param ceilMode        round the output size up instead of down
 * @param countIncludePad average pooling divides by the taps inside the padded input
 */
public record PoolOptions(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                          int padRight, int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {
    /**
     * Checks that kernel, strides and dilations are positive and no padding is negative.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public PoolOptions {
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        notNegative("padTop", padTop);
        notNegative("padLeft", padLeft);
        notNegative("padBottom", padBottom);
        notNegative("padRight", padRight);
    }

    /**
     * A square window with the same stride and padding everywhere, floor mode, padding counted in averages (PyTorch's default).
     *
     * @param kernel the window side
     * @param stride the stride
     * @param padding padding on every side
     * @return the options
     */
    public static PoolOptions of(int kernel, int stride, int padding) {
        return new PoolOptions(kernel, kernel, stride, stride, padding, padding, padding, padding, 1, 1, false, true);
    }

    /** The geometry of this window over x [n, c, h, w]. */
    PoolGeometry geometry(int planes, int h, int w) {
        return PoolGeometry.of(planes, h, w, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight,
                dilationH, dilationW, ceilMode);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException("pooling " + name + " must be >= 1, got " + v);
    }

    private static void notNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException("pooling " + name + " must be >= 0, got " + v);
    }
}
