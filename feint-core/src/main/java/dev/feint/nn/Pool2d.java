package dev.feint.nn;

import dev.feint.autograd.Pooling;
import dev.feint.tensor.Tensor;

/** MaxPool2d or AvgPool2d with a square window. */
public final class Pool2d extends Module {
    /** True for max pooling, false for average pooling. */
    public final boolean max;
    /** The window side, its stride and the padding on every side. */
    public final int kernel, stride, padding;

    /**
     * A pooling layer.
     *
     * @param max true for max pooling, false for average pooling
     * @param kernel the window side
     * @param stride the stride
     * @param padding padding on every side, at most kernel / 2
     */
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
