package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer or a network: parameters, buffers (running statistics) and sub-modules, each named so
 * that the flattened names match PyTorch's {@code state_dict} keys ("0.weight", "conv1.bias").
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, float[]> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module with no parameters, buffers or children yet, in training mode. */
    protected Module() {}

    /**
     * Runs the module.
     *
     * @param x the input batch
     * @return the output, recorded for backprop when gradients are on
     */
    public abstract Tensor forward(Tensor x);

    /**
     * Registers a parameter (its gradient is then required).
     *
     * @param name the parameter's name within this module ("weight")
     * @param t the tensor
     * @return {@code t}
     */
    protected final Tensor param(String name, Tensor t) {
        t.requiresGrad(true);
        params.put(name, t);
        return t;
    }

    /**
     * Registers a float buffer: state saved with the weights but not trained (running statistics).
     *
     * @param name the buffer's name within this module
     * @param b the array
     * @return {@code b}
     */
    protected final float[] buffer(String name, float[] b) {
        buffers.put(name, b);
        return b;
    }

    /**
     * Registers a sub-module, whose names are prefixed by {@code name.}.
     *
     * @param <M> the sub-module's type
     * @param name the child's name ("conv1", "0")
     * @param m the sub-module
     * @return {@code m}
     */
    protected final <M extends Module> M child(String name, M m) {
        children.put(name, m);
        return m;
    }

    /** {@return the direct sub-modules by name, in registration order} */
    public final Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }

    /** {@return all parameters of this module and its descendants by flattened name, in registration order} */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectParams("", out);
        return out;
    }

    private void collectParams(String prefix, Map<String, Tensor> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collectParams(prefix + e.getKey() + ".", out);
    }

    /** {@return all float buffers (e.g. running_mean) of this module and its descendants, by flattened name} */
    public final LinkedHashMap<String, float[]> namedBuffers() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, float[]> out) {
        for (var e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", out);
    }

    /** {@return the integer counters (BatchNorm's num_batches_tracked), by flattened name} */
    public final LinkedHashMap<String, long[]> namedCounters() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        collectCounters("", out);
        return out;
    }

    /**
     * Adds this module's own integer counters (none by default) to {@code out}.
     *
     * @param prefix this module's name prefix ("layer1.0.")
     * @param out where to put them, by flattened name
     */
    protected void ownCounters(String prefix, Map<String, long[]> out) {}

    private void collectCounters(String prefix, Map<String, long[]> out) {
        ownCounters(prefix, out);
        for (var e : children.entrySet()) e.getValue().collectCounters(prefix + e.getKey() + ".", out);
    }

    /**
     * Random-stream positions (e.g. Dropout's call count): saved in training checkpoints so a
     * resumed run draws the same masks, but not in model files (PyTorch has no such state).
     *
     * @return the counters by flattened name
     */
    public final LinkedHashMap<String, long[]> namedRngCounters() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        collectRng("", out);
        return out;
    }

    /**
     * Adds this module's own random-stream positions (none by default) to {@code out}.
     *
     * @param prefix this module's name prefix
     * @param out where to put them, by flattened name
     */
    protected void ownRngCounters(String prefix, Map<String, long[]> out) {}

    private void collectRng(String prefix, Map<String, long[]> out) {
        ownRngCounters(prefix, out);
        for (var e : children.entrySet()) e.getValue().collectRng(prefix + e.getKey() + ".", out);
    }

    /** {@return the number of trainable values, over all parameters} */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.size();
        return n;
    }

    /** {@return this module, switched with its descendants to training mode} */
    public final Module train() { return setTraining(true); }

    /** {@return this module, switched with its descendants to evaluation mode (running statistics, no dropout)} */
    public final Module eval() { return setTraining(false); }

    /**
     * Sets training or evaluation mode on this module and its descendants.
     *
     * @param on true for training mode
     * @return this module
     */
    public Module setTraining(boolean on) {
        training = on;
        for (Module m : children.values()) m.setTraining(on);
        return this;
    }

    /** {@return true in training mode} */
    public final boolean isTraining() { return training; }

    /** Drops the gradient of every parameter. */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    /** Drops the gradient of every parameter, keeping the arrays for the next pass ({@link Tensor#recycleGrad}). */
    public final void recycleGrads() {
        for (Tensor t : namedParameters().values()) t.recycleGrad();
    }

    /**
     * Visits this module and all descendants, depth first.
     *
     * @param v called on each module
     */
    public final void visit(java.util.function.Consumer<Module> v) {
        v.accept(this);
        for (Module m : children.values()) m.visit(v);
    }
}
