package dev.feint.train;

/**
 * The global step of the batch being trained, so recipes can seed their randomness from
 * (seed, step) and a resumed run repeats it exactly. Thread-confined.
 */
final class Steps {
    private static final ThreadLocal<long[]> STEP = ThreadLocal.withInitial(() -> new long[1]);

    private Steps() {}

    static void set(long step) { STEP.get()[0] = step; }

    public static long current() { return STEP.get()[0]; }
}
