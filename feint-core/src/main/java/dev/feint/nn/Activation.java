package dev.feint.nn;

import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;

/** Parameter-free pointwise layers. */
public final class Activation extends Module {
    public enum Kind { RELU, TANH, SIGMOID, LEAKY_RELU }

    public final Kind kind;
    public final float slope;

    public Activation(Kind kind) { this(kind, 0.01f); }

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
