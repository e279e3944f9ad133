package dev.feint.nn;

import dev.feint.autograd.Pooling;
import dev.feint.tensor.Tensor;

/** MaxPool2d or AvgPool2d with a square window. */
public final class Pool2d extends Module {
    public final boolean max;
    public final int kernel, stride, padding;

    public Pool2d(boolean max, int kernel, int stride, int padding) {
        this.max = max;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override public Tensor forward(Tensor x) {
        return max ? Pooling.maxPool2d(x, kernel, stride, padding) : Pooling.avgPool2d(x, kernel, stride, padding);
    }
}
