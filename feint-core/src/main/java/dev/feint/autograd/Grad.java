package dev.feint.autograd;

import dev.feint.tensor.Tensor;

/** Gradient-mode switch: inside {@link #noGrad()} ops record nothing. */
public final class Grad {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private Grad() {}

    /** {@return a scope, for try-with-resources, in which no graph is recorded on this thread} */
    public static Scope noGrad() {
        DISABLED.get()[0]++;
        return () -> DISABLED.get()[0]--;
    }

    /** {@return true unless this thread is inside a {@link #noGrad()} scope} */
    public static boolean enabled() { return DISABLED.get()[0] == 0; }

    /**
     * True when an op on these inputs must record a node.
     *
     * @param inputs the op's inputs (nulls ignored)
     * @return whether recording is on and an input requires a gradient
     */
    public static boolean recording(Tensor... inputs) {
        if (!enabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Attaches node to out when recording; returns out.
     *
     * @param out the op's result
     * @param node its backward rule
     * @param inputs the op's inputs
     * @return {@code out}
     */
    public static Tensor record(Tensor out, Node node, Tensor... inputs) {
        if (recording(inputs)) out.setNode(node);
        return out;
    }

    /** A closeable scope that does not throw. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
