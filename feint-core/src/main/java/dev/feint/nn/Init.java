package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/** Seeded weight initialisers. */
public final class Init {
    private Init() {}

    /**
     * PyTorch's default for Linear/Conv: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (kaiming_uniform, a=sqrt(5)).
     *
     * @param rng the generator (advanced)
     * @param fanIn inputs per output unit
     * @param dims the tensor's dimensions
     * @return the initial tensor
     */
    public static Tensor torchDefault(SplittableRandom rng, int fanIn, int... dims) {
        float b = (float) (1 / Math.sqrt(fanIn));
        return Tensor.uniform(rng, -b, b, dims);
    }

    /**
     * Kaiming (He) normal for ReLU: N(0, 2/fanIn).
     *
     * @param rng the generator (advanced)
     * @param fanIn inputs per output unit
     * @param dims the tensor's dimensions
     * @return the initial tensor
     */
    public static Tensor kaimingNormal(SplittableRandom rng, int fanIn, int... dims) {
        return Tensor.normal(rng, (float) Math.sqrt(2.0 / fanIn), dims);
    }

    /**
     * Xavier (Glorot) uniform: U(-a, a), a = sqrt(6/(fanIn+fanOut)).
     *
     * @param rng the generator (advanced)
     * @param fanIn inputs per output unit
     * @param fanOut outputs per input unit
     * @param dims the tensor's dimensions
     * @return the initial tensor
     */
    public static Tensor xavierUniform(SplittableRandom rng, int fanIn, int fanOut, int... dims) {
        float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        return Tensor.uniform(rng, -a, a, dims);
    }
}
