package dev.feint.optim;

import dev.feint.tensor.Tensor;

import java.util.List;

/** Updates parameters from their gradients; the learning rate may be changed between steps. */
public abstract class Optimizer {
    /** The parameters this optimizer updates, in the order that indexes {@link #state()}. */
    protected final List<Tensor> params;
    /** The current learning rate. */
    protected float lr;

    /**
     * Checks the learning rate and keeps a copy of the parameter list.
     *
     * @param params the parameters to update
     * @param lr the learning rate, above 0
     * @throws IllegalArgumentException if {@code lr} is not above 0
     */
    protected Optimizer(List<Tensor> params, float lr) {
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update to every parameter that has a gradient (others are skipped). */
    public abstract void step();

    /** Clears every parameter's gradient; call between steps, as gradients accumulate. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /**
     * As {@link #zeroGrad}, keeping each gradient's array for the next backward pass ({@link
     * Tensor#recycleGrad}): for a training loop that reads no gradient array after the step.
     */
    public void recycleGrads() {
        for (Tensor p : params) p.recycleGrad();
    }

    /** {@return the current learning rate} */
    public float lr() { return lr; }

    /**
     * Sets the learning rate for the next steps (a schedule calls this every step).
     *
     * @param lr the new learning rate
     */
    public void setLr(float lr) { this.lr = lr; }

    /**
     * Internal state (momenta, step count) by parameter index, for checkpoints.
     *
     * @return copies of the state arrays; entries of parameters not yet stepped may be null
     */
    public abstract float[][] state();

    /**
     * Restores a state from {@link #state()} of an optimizer of the same kind over the same parameters.
     *
     * @param state the arrays {@link #state()} returned
     */
    public abstract void loadState(float[][] state);
}
