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

    public abstract Tensor forward(Tensor x);

    protected final Tensor param(String name, Tensor t) {
        t.requiresGrad(true);
        params.put(name, t);
        return t;
    }

    protected final float[] buffer(String name, float[] b) {
        buffers.put(name, b);
        return b;
    }

    protected final <M extends Module> M child(String name, M m) {
        children.put(name, m);
        return m;
    }

    public final Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }

    /** All parameters of this module and its descendants, in registration order. */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectParams("", out);
        return out;
    }

    private void collectParams(String prefix, Map<String, Tensor> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collectParams(prefix + e.getKey() + ".", out);
    }

    /** All float buffers (e.g. running_mean) of this module and its descendants. */
    public final LinkedHashMap<String, float[]> namedBuffers() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, float[]> out) {
        for (var e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", out);
    }

    /** Integer counters (BatchNorm's num_batches_tracked), by flattened name. */
    public final LinkedHashMap<String, long[]> namedCounters() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        collectCounters("", out);
        return out;
    }

    protected void ownCounters(String prefix, Map<String, long[]> out) {}

    private void collectCounters(String prefix, Map<String, long[]> out) {
        ownCounters(prefix, out);
        for (var e : children.entrySet()) e.getValue().collectCounters(prefix + e.getKey() + ".", out);
    }

    /**
     * Random-stream positions (e.g. Dropout's call count): saved in training checkpoints so a
     * resumed run draws the same masks, but not in model files (PyTorch has no such state).
     */
    public final LinkedHashMap<String, long[]> namedRngCounters() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        collectRng("", out);
        return out;
    }

    protected void ownRngCounters(String prefix, Map<String, long[]> out) {}

    private void collectRng(String prefix, Map<String, long[]> out) {
        ownRngCounters(prefix, out);
        for (var e : children.entrySet()) e.getValue().collectRng(prefix + e.getKey() + ".", out);
    }

    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.size();
        return n;
    }

    public final Module train() { return setTraining(true); }

    public final Module eval() { return setTraining(false); }

    public Module setTraining(boolean on) {
        training = on;
        for (Module m : children.values()) m.setTraining(on);
        return this;
    }

    public final boolean isTraining() { return training; }

    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    /** Visits this module and all descendants, depth first. */
    public final void visit(java.util.function.Consumer<Module> v) {
        v.accept(this);
        for (Module m : children.values()) m.visit(v);
    }
}
