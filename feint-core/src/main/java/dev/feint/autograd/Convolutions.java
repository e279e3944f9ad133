package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;

/** 2-D convolution over NCHW input with OIHW weights (as PyTorch's Conv2d). */
public final class Convolutions {
    private Convolutions() {}

    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1))
            throw new IllegalArgumentException("conv2d needs x [n," + w.dim(1) + ",h,w] and w [o,c,kh,kw], got "
                    + x.shape() + " and " + w.shape());
        ConvGeometry g = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                stride, stride, padding, padding, dilation, dilation);
        float[] o = new float[g.n() * g.o() * g.outH() * g.outW()];
        Conv2dKernels.forward(g, x.data(), w.data(), bias == null ? null : bias.data(), o);
        Tensor[] ins = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Grad.record(new Tensor(Shape.of(g.n(), g.o(), g.outH(), g.outW()), o), new Node(ins) {
            @Override protected void backward(Tensor t, float[] go) {
                if (needs(x)) Conv2dKernels.backwardInput(g, go, w.data(), x.gradBuffer());
                boolean nb = bias != null && needs(bias);
                if (needs(w) || nb) {
                    float[] gw = needs(w) ? w.gradBuffer() : new float[w.size()];
                    Conv2dKernels.backwardWeight(g, x.data(), go, gw, nb ? bias.gradBuffer() : null);
                }
            }
        }, ins);
    }
}
