package dev.feint.autograd;

import dev.feint.tensor.Tensor;

/**
 * The backward rule of one op application: given the gradient of its output, it accumulates
 * the gradients of its inputs (only those that require one).
 */
public abstract class Node {
    private Tensor[] inputs;

    /**
     * A node over the op's inputs.
     *
     * @param inputs the tensors the op read, whose gradients this node accumulates
     */
    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    /** {@return the op's inputs (null once the graph is released)} */
    public final Tensor[] inputs() { return inputs; }

    /**
     * Accumulates into {@code inputs()[i].gradBuffer()} for inputs that require a gradient.
     *
     * @param out the op's output
     * @param gradOut the gradient of the loss with respect to {@code out}
     */
    protected abstract void backward(Tensor out, float[] gradOut);

    /**
     * Whether {@link #backward} takes the output's gradient channels-last, [n][h][w][c] of a rank-4
     * [n, c, h, w] output (an op that computed it channels-last); else row-major. Either way the
     * gradient handed over is the whole of it (see {@link Tensor#gradIn}).
     *
     * @return true for a channels-last output gradient
     */
    protected boolean channelsLastGradient() { return false; }

    /** Drops references so the graph can be collected after backward. */
    void release() {
        inputs = null;
        releaseSaved();
    }

    /** Subclasses drop saved buffers here. */
    protected void releaseSaved() {}

    static boolean needs(Tensor t) { return t.requiresGrad(); }
}
