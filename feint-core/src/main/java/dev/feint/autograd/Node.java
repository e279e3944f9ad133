package dev.feint.autograd;

import dev.feint.tensor.Tensor;

/**
 * The backward rule of one op application: given the gradient of its output, it accumulates
 * the gradients of its inputs (only those that require one).
 */
public abstract class Node {
    private Tensor[] inputs;

    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    public final Tensor[] inputs() { return inputs; }

    /** Accumulates into {@code inputs()[i].gradBuffer()} for inputs that require a gradient. */
    protected abstract void backward(Tensor out, float[] gradOut);

    /** Drops references so the graph can be collected after backward. */
    void release() {
        inputs = null;
        releaseSaved();
    }

    /** Subclasses drop saved buffers here. */
    protected void releaseSaved() {}

    static boolean needs(Tensor t) { return t.requiresGrad(); }
}
