package dev.feint.nn;

import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;

/** Parameter-free pointwise layers. */
public final class Activation extends Module {
    /** The function applied. */
    public enum Kind {
        /** max(0, x). */
        RELU,
        /** tanh(x). */
        TANH,
        /** 1 / (1 + e^-x). */
        SIGMOID,
        /** x where x &gt; 0, slope * x elsewhere. */
        LEAKY_RELU
    }

    /** The function this layer applies. */
    public final Kind kind;
    /** The negative slope of {@link Kind#LEAKY_RELU} (unused by the others). */
    public final float slope;

    /**
     * A layer applying {@code kind}, with PyTorch's default leaky slope 0.01.
     *
     * @param kind the function
     */
    public Activation(Kind kind) { this(kind, 0.01f); }

    /**
     * A layer applying {@code kind}.
     *
     * @param kind the function
     * @param slope the negative slope of {@link Kind#LEAKY_RELU}
     */
    public Activation(Kind kind, float slope) {
        this.kind = kind;
        this.slope = slope;
    }

    @Override public Tensor forward(Tensor x) {
        return switch (kind) {
            case RELU -> Unary.relu(x);
            case TANH -> Unary.tanh(x);
            case SIGMOID -> Unary.sigmoid(x);
            case LEAKY_RELU -> Unary.leakyRelu(x, slope);
        };
    }
}
