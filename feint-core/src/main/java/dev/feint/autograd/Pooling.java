package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.PoolGeometry;
import dev.feint.tensor.kernels.PoolKernels;

/** Max and average pooling over NCHW tensors (ONNX's MaxPool, AveragePool and their global forms). */
public final class Pooling {
    private Pooling() {}

    private static PoolGeometry geometry(Tensor x, PoolOptions p) {
        if (x.rank() != 4) throw new IllegalArgumentException("pooling needs x [n, c, h, w], got " + x.shape());
        return p.geometry(x.dim(0) * x.dim(1), x.dim(2), x.dim(3));
    }

    private static Shape outShape(Tensor x, PoolGeometry g) { return Shape.of(x.dim(0), x.dim(1), g.outH(), g.outW()); }

    /**
     * Square window k, stride and symmetric padding (pad at most k / 2, as PyTorch).
     *
     * @param x the input [n, c, h, w]
     * @param k the window side
     * @param stride the stride
     * @param pad padding on every side, at most k / 2
     * @return the pooled output, recorded for backprop
     * @throws IllegalArgumentException if k or stride is below 1 or pad is out of range
     */
    public static Tensor maxPool2d(Tensor x, int k, int stride, int pad) {
        return maxPool2d(x, legacy(k, stride, pad));
    }

    /**
     * Average pooling with a square window k, stride and symmetric padding (counted in the divisor, as PyTorch's default).
     *
     * @param x the input [n, c, h, w]
     * @param k the window side
     * @param stride the stride
     * @param pad padding on every side, at most k / 2
     * @return the pooled output, recorded for backprop
     * @throws IllegalArgumentException if k or stride is below 1 or pad is out of range
     */
    public static Tensor avgPool2d(Tensor x, int k, int stride, int pad) {
        return avgPool2d(x, legacy(k, stride, pad));
    }

    private static PoolOptions legacy(int k, int stride, int pad) {
        if (k < 1 || stride < 1 || pad < 0 || pad * 2 > k)
            throw new IllegalArgumentException("bad pooling window k=" + k + " stride=" + stride + " pad=" + pad
                    + " (expected k, stride >= 1 and 0 <= pad <= k / 2)");
        return PoolOptions.of(k, stride, pad);
    }

    /**
     * The max of each window; the gradient goes to the (first) maximal input of each.
     *
     * @param x the input [n, c, h, w]
     * @param options the window
     * @return the pooled output, recorded for backprop
     */
    public static Tensor maxPool2d(Tensor x, PoolOptions options) {
        PoolGeometry g = geometry(x, options);
        Shape os = outShape(x, g);
        float[] xl = x.channelsLastData();
        if (xl != null) {                                // a channels-last activation stays so, recorded or not
            float[] o = Arena.floatsToOverwrite(os.size());   // every window written
            int n = x.dim(0), c = x.dim(1);
            PoolKernels.maxForwardChannelsLast(g, n, c, xl, o);
            return Grad.record(Tensor.channelsLast(os, o), new Node(x) {
                @Override protected boolean channelsLastGradient() { return true; }

                @Override protected void backward(Tensor t, float[] go) {
                    PoolKernels.maxBackwardChannelsLast(g, n, c, xl, o, go, x.gradBufferChannelsLast());
                }
            }, x);
        }
        float[] o = Arena.floats(os.size());
        int[] arg = Arena.ints(os.size());
        PoolKernels.maxForward(g, x.data(), o, arg);
        return Grad.record(new Tensor(os, o), new Node(x) {
            @Override protected void backward(Tensor t, float[] go) { PoolKernels.maxBackward(g, go, arg, x.gradBuffer()); }
        }, x);
    }

    /**
     * The mean of each window (divisor per {@link PoolOptions#countIncludePad}).
     *
     * @param x the input [n, c, h, w]
     * @param options the window
     * @return the pooled output, recorded for backprop
     */
    public static Tensor avgPool2d(Tensor x, PoolOptions options) {
        PoolGeometry g = geometry(x, options);
        Shape os = outShape(x, g);
        float[] o = Arena.floats(os.size());
        boolean include = options.countIncludePad();
        PoolKernels.avgForward(g, include, x.data(), o);
        return Grad.record(new Tensor(os, o), new Node(x) {
            @Override protected void backward(Tensor t, float[] go) { PoolKernels.avgBackward(g, include, go, x.gradBuffer()); }
        }, x);
    }

    /**
     * [n, c, h, w] to [n, c, 1, 1]: the mean of each plane.
     *
     * @param x the input [n, c, h, w]
     * @return the means [n, c, 1, 1], recorded for backprop
     */
    public static Tensor globalAvgPool(Tensor x) { return avgPool2d(x, whole(x)); }

    /**
     * [n, c, h, w] to [n, c, 1, 1]: the max of each plane.
     *
     * @param x the input [n, c, h, w]
     * @return the maxima [n, c, 1, 1], recorded for backprop
     */
    public static Tensor globalMaxPool(Tensor x) { return maxPool2d(x, whole(x)); }

    private static PoolOptions whole(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException("global pooling needs x [n, c, h, w], got " + x.shape());
        return new PoolOptions(x.dim(2), x.dim(3), 1, 1, 0, 0, 0, 0, 1, 1, false, false);
    }
}
