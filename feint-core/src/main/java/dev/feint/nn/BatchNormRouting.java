package dev.feint.nn;

/**
 * Which BatchNorm statistics a forward pass uses: the main ones, or the auxiliary ones AdvProp
 * keeps for adversarial batches (Xie et al. 2020). Thread-confined; main by default.
 */
public final class BatchNormRouting {
    private static final ThreadLocal<boolean[]> AUX = ThreadLocal.withInitial(() -> new boolean[1]);

    private BatchNormRouting() {}

    /** {@return true inside a {@link #useAuxiliary()} scope on this thread} */
    public static boolean auxiliary() { return AUX.get()[0]; }

    /** {@return a scope (try-with-resources) in which BatchNorm layers with an auxiliary copy use it} */
    public static dev.feint.autograd.Grad.Scope useAuxiliary() {
        boolean[] f = AUX.get();
        boolean old = f[0];
        f[0] = true;
        return () -> f[0] = old;
    }

    /**
     * Gives every BatchNorm in m an auxiliary copy (initialised from the main one); returns how many.
     *
     * @param m the network
     * @return how many BatchNorm layers got a copy
     */
    public static int addAuxiliary(Module m) {
        int[] count = {0};
        m.visit(x -> {
            if (x instanceof BatchNorm bn && !bn.isAuxiliaryCopy()) {
                bn.addAuxiliary();
                count[0]++;
            }
        });
        return count[0];
    }
}
