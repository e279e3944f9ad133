package dev.feint.autograd;

/**
 * How a 2-D convolution slides its kernel (ONNX Conv's attributes, PyTorch Conv2d's arguments):
 * strides and dilations per axis, zero padding per side (top and left before the input, bottom
 * and right after it: ONNX's {@code pads} = [top, left, bottom, right]) and the number of channel
 * groups (1: a dense convolution; the input channels: depthwise). Weights are [out, in / groups,
 * kh, kw].
 *
 * <pre>{@code Tensor y = Convolutions.conv2d(x, w, b, ConvOptions.of(2, 1, 1).withGroups(32));}</pre>
 *
 * @param strideH   vertical stride, at least 1
 * @param strideW   horizontal stride, at least 1
 * @param padTop    zero rows before the input
 * @param padLeft   zero columns before the input
 * @param padBottom zero rows after the input
 * @param padRight  zero columns after the input
 * @param dilationH vertical spacing of the kernel taps, at least 1
 * @param dilationW horizontal spacing of the kernel taps, at least 1
 * @param groups    channel groups, at least 1; dividing both channel counts
 */
public record ConvOptions(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                          int dilationH, int dilationW, int groups) {
    /**
     * Checks that strides, dilations and groups are positive and no padding is negative.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public ConvOptions {
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        positive("groups", groups);
        notNegative("padTop", padTop);
        notNegative("padLeft", padLeft);
        notNegative("padBottom", padBottom);
        notNegative("padRight", padRight);
    }

    /**
     * The same stride, padding and dilation on both axes and every side; one group.
     *
     * @param stride the stride
     * @param padding zero padding on every side
     * @param dilation the dilation
     * @return the options
     */
    public static ConvOptions of(int stride, int padding, int dilation) {
        return new ConvOptions(stride, stride, padding, padding, padding, padding, dilation, dilation, 1);
    }

    /**
     * The same options with another number of groups.
     *
     * @param g the number of channel groups
     * @return the new options
     */
    public ConvOptions withGroups(int g) {
        return new ConvOptions(strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW, g);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException("conv " + name + " must be >= 1, got " + v);
    }

    private static void notNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException("conv " + name + " must be >= 0, got " + v);
    }
}
