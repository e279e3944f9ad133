package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.PoolKernels;

/** Max and average pooling over NCHW tensors with square windows. */
public final class Pooling {
    private Pooling() {}

    private static int[] outDims(Tensor x, int k, int stride, int pad) {
        if (x.rank() != 4) throw new IllegalArgumentException("pooling needs [n,c,h,w], got " + x.shape());
        if (k < 1 || stride < 1 || pad < 0 || pad * 2 > k)
            throw new IllegalArgumentException("bad pooling window k=" + k + " stride=" + stride + " pad=" + pad);
        int oh = (x.dim(2) + 2 * pad - k) / stride + 1, ow = (x.dim(3) + 2 * pad - k) / stride + 1;
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("pooling window " + k + " larger than input " + x.shape());
        return new int[] {x.dim(0), x.dim(1), oh, ow};
    }

    public static Tensor maxPool2d(Tensor x, int k, int stride, int pad) {
        int[] od = outDims(x, k, stride, pad);
        Shape os = Shape.of(od);
        float[] o = new float[os.size()];
        int[] arg = new int[os.size()];
        int planes = od[0] * od[1];
        PoolKernels.maxForward(x.data(), planes, x.dim(2), x.dim(3), k, stride, pad, o, arg);
        return Grad.record(new Tensor(os, o), new Node(x) {
            @Override protected void backward(Tensor t, float[] g) {
                PoolKernels.maxBackward(g, arg, planes, od[2] * od[3], x.gradBuffer());
            }
        }, x);
    }

    public static Tensor avgPool2d(Tensor x, int k, int stride, int pad) {
        int[] od = outDims(x, k, stride, pad);
        Shape os = Shape.of(od);
        float[] o = new float[os.size()];
        int planes = od[0] * od[1], h = x.dim(2), w = x.dim(3);
        PoolKernels.avgForward(x.data(), planes, h, w, k, stride, pad, o);
        return Grad.record(new Tensor(os, o), new Node(x) {
            @Override protected void backward(Tensor t, float[] g) {
                PoolKernels.avgBackward(g, planes, h, w, k, stride, pad, x.gradBuffer());
            }
        }, x);
    }
}
