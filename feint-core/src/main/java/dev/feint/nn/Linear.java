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
        Tensor x2 = x.rank() == 2 ? x : x.reshape(x.dim(0), -1);
        return LinearAlgebra.linear(x2, weight, bias);
    }
}
