package dev.feint.nn;

import dev.feint.autograd.LinearAlgebra;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/** y = x W^T + b, weight [out, in] as PyTorch's nn.Linear. */
public final class Linear extends Module {
    /** Input and output features. */
    public final int in, out;
    private final Tensor weight, bias;

    /**
     * A layer initialised as PyTorch's (Kaiming-uniform weights and bias from the fan-in).
     *
     * @param in input features (an input of higher rank is flattened to [n, in])
     * @param out output features
     * @param rng the generator of the initial weights (advanced)
     */
    public Linear(int in, int out, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Init.torchDefault(rng, in, out, in));
        this.bias = param("bias", Init.torchDefault(rng, in, out));
    }

    @Override public Tensor forward(Tensor x) {
        return LinearAlgebra.linear(flat(x), weight, bias);
    }

    /**
     * This layer and a ReLU, fused.
     *
     * @param x the input [n, in] (or flattened to it)
     * @return relu(x W^T + b), recorded for backprop
     */
    public Tensor forwardRelu(Tensor x) {
        return LinearAlgebra.linearRelu(flat(x), weight, bias);
    }

    private static Tensor flat(Tensor x) { return x.rank() == 2 ? x : x.reshape(x.dim(0), -1); }
}
