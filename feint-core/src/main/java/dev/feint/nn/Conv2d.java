package dev.feint.nn;

import dev.feint.autograd.Convolutions;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/** 2-D convolution, weight [out, in, k, k] as PyTorch's nn.Conv2d. */
public final class Conv2d extends Module {
    public final int in, out, kernel, stride, padding, dilation;
    private final Tensor weight, bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, boolean withBias, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        int fanIn = in * kernel * kernel;
        this.weight = param("weight", Init.torchDefault(rng, fanIn, out, in, kernel, kernel));
        this.bias = withBias ? param("bias", Init.torchDefault(rng, fanIn, out)) : null;
    }

    @Override public Tensor forward(Tensor x) {
        return Convolutions.conv2d(x, weight, bias, stride, padding, dilation);
    }

    /** This convolution, a ReLU and a max-pool with window and stride {@code pool} (1: none), fused. */
    public Tensor forwardReluPool(Tensor x, int pool) {
        return Convolutions.conv2dReluPool(x, weight, bias, stride, padding, dilation, pool);
    }
}
