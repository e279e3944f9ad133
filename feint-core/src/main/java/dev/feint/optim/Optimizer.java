package dev.feint.optim;

import dev.feint.tensor.Tensor;

import java.util.List;

/** Updates parameters from their gradients; the learning rate may be changed between steps. */
public abstract class Optimizer {
    protected final List<Tensor> params;
    protected float lr;

    protected Optimizer(List<Tensor> params, float lr) {
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    public abstract void step();

    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public float lr() { return lr; }

    public void setLr(float lr) { this.lr = lr; }

    /** Internal state (momenta, step count) by parameter index, for checkpoints. */
    public abstract float[][] state();

    public abstract void loadState(float[][] state);
}
