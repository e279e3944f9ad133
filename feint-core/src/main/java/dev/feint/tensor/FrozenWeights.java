package dev.feint.tensor;

/**
 * A scope, on the current thread, in which kernels may keep forms derived from a tensor's data
 * (a linear layer's weights packed for the GEMM kernel) from one call to the next, as an
 * inference session does. Inside it, weights may change only through code that calls
 * {@link Tensor#markModified()} (the optimizers and loaders do); outside it nothing is kept, so
 * writing into {@link Tensor#data()} directly (a finite-difference check) is always seen.
 * Closing the scope retires what it kept. Attacks, evaluations and the benchmark open one.
 *
 * <pre>{@code try (var frozen = FrozenWeights.open()) { ... many forward passes ... }}</pre>
 */
public final class FrozenWeights implements AutoCloseable {
    private static final ThreadLocal<FrozenWeights> CURRENT = new ThreadLocal<>();
    private final boolean outermost;

    private FrozenWeights(boolean outermost) { this.outermost = outermost; }

    /** {@return a new scope on this thread, or one that joins the scope already open (closing it then does nothing)} */
    public static FrozenWeights open() {
        if (CURRENT.get() != null) return new FrozenWeights(false);
        FrozenWeights f = new FrozenWeights(true);
        CURRENT.set(f);
        return f;
    }

    /** The open scope of this thread, or null. */
    static FrozenWeights current() { return CURRENT.get(); }

    @Override public void close() {
        if (outermost && CURRENT.get() == this) CURRENT.remove();
    }
}
