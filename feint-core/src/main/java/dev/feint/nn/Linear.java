package dev.feint.nn;

import dev.feint.autograd.LinearAlgebra;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/** y = x W^T + b, weight [out, in] as PyTorch's nn.Linear. */
public final class Linear extends Module {
    public final int in, out;
    private final Tensor weight, bias;

    public Linear(int in, int out, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Init.torchDefault(rng, in, out, in));
        this.bias = param("bias", Init.torchDefault(rng, in, out));
    }

    @Override public Tensor forward(Tensor x) {
        return LinearAlgebra.linear(flat(x), weight, bias);
    }

    /** This layer and a ReLU, fused. */
    public Tensor forwardRelu(Tensor x) {
        return LinearAlgebra.linearRelu(flat(x), weight, bias);
    }

    private static Tensor flat(Tensor x) { return x.rank() == 2 ? x : x.reshape(x.dim(0), -1); }
}
