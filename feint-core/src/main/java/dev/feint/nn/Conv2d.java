package dev.feint.nn;

import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Convolutions;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * 2-D convolution as PyTorch's nn.Conv2d: weight [out, in / groups, kernelH, kernelW] (PyTorch's
 * and ONNX's layout, so state dicts load as they are), optional bias [out], strides, dilations
 * and per-side padding from {@link ConvOptions}.
 */
public final class Conv2d extends Module {
    /** Input and output channels and the kernel's height and width. */
    public final int in, out, kernelH, kernelW;
    /** Strides, padding, dilations and groups. */
    public final ConvOptions options;
    private final Tensor weight, bias;

    /**
     * A square kernel with the same stride, padding and dilation everywhere, one group.
     *
     * @param in input channels
     * @param out output channels
     * @param kernel the kernel side
     * @param stride the stride
     * @param padding zero padding on every side
     * @param dilation the dilation
     * @param withBias whether to add a bias
     * @param rng the generator of the initial weights (advanced)
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, boolean withBias, SplittableRandom rng) {
        this(in, out, kernel, kernel, ConvOptions.of(stride, padding, dilation), withBias, rng);
    }

    /**
     * A convolution initialised as PyTorch's (Kaiming-uniform weights and bias from the fan-in).
     *
     * @param in input channels
     * @param out output channels
     * @param kernelH the kernel height
     * @param kernelW the kernel width
     * @param options strides, padding, dilations and groups
     * @param withBias whether to add a bias
     * @param rng the generator of the initial weights (advanced)
     * @throws IllegalArgumentException if the groups do not divide both channel counts
     */
    public Conv2d(int in, int out, int kernelH, int kernelW, ConvOptions options, boolean withBias, SplittableRandom rng) {
        int groups = options.groups();
        if (in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("conv2d groups " + groups + " must divide in " + in + " and out " + out);
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        int fanIn = in / groups * kernelH * kernelW;
        this.weight = param("weight", Init.torchDefault(rng, fanIn, out, in / groups, kernelH, kernelW));
        this.bias = withBias ? param("bias", Init.torchDefault(rng, fanIn, out)) : null;
    }

    @Override public Tensor forward(Tensor x) {
        return Convolutions.conv2d(x, weight, bias, options);
    }

    /**
     * This convolution, a ReLU and a max-pool with window and stride {@code pool} (1: none), fused.
     *
     * @param x the input [n, in, h, w]
     * @param pool the pooling window and stride, 1 for none
     * @return the pooled output, recorded for backprop
     */
    public Tensor forwardReluPool(Tensor x, int pool) {
        return Convolutions.conv2dReluPool(x, weight, bias, options, pool);
    }
}
