package dev.feint.nn;

import dev.feint.autograd.LinearAlgebra;
import dev.feint.autograd.Reductions;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Maxout (Goodfellow et al. 2013): out units, each the max of k affine pieces. Weight
 * [out*k, in]; rows u*k .. u*k+k-1 are the pieces of unit u.
 */
public final class Maxout extends Module {
    /** Input features, output units and affine pieces per unit. */
    public final int in, out, pieces;
    private final Tensor weight, bias;

    /**
     * A maxout layer with Xavier-uniform weights and zero biases.
     *
     * @param in input features
     * @param out output units
     * @param pieces affine pieces per unit (k)
     * @param rng the generator of the initial weights (advanced)
     */
    public Maxout(int in, int out, int pieces, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.pieces = pieces;
        this.weight = param("weight", Init.xavierUniform(rng, in, out, out * pieces, in));
        this.bias = param("bias", Tensor.zeros(out * pieces));
    }

    @Override public Tensor forward(Tensor x) {
        Tensor x2 = x.rank() == 2 ? x : x.reshape(x.dim(0), -1);
        Tensor z = LinearAlgebra.linear(x2, weight, bias);
        return Reductions.max(z.reshape(x2.dim(0), out, pieces), 2, false);
    }
}
