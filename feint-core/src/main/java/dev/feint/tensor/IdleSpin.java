package dev.feint.tensor;

/**
 * How long one of {@link Parallel}'s idle workers spins before parking (issue 19). Long
 * ({@link #LONG_NANOS}) while the worker's vCPU is its own: on the benchmark VM (a KVM guest booted
 * with {@code sched_vcpu_pack}, which by its name and what we see packs woken threads onto a busy
 * vCPU while its load is low) a parked worker woken after a pause of the application often lands
 * on the caller's vCPU, and while it keeps parking and waking there, caller and worker share one
 * vCPU with the other idle (perf sched: the worker waits up to a 4 ms tick in the caller's run
 * queue); a worker that stays runnable is moved to the idle vCPU by the next balance and stays
 * there. Short ({@link #SHORT_NANOS}) for {@link #SHORT_FOR_NANOS} after the spin lost its vCPU (a
 * gap over {@link #LOST_CPU_NANOS} between two of its clock reads: another runnable thread was
 * given the vCPU): then spinning only spends the worker's share of a contended vCPU, and the
 * scheduler makes it wait for its next chunk instead (a 3 ms spin everywhere cost the contention
 * bench's loaded 2-thread rows up to a third: batch 1 0.64-0.95x ONNX Runtime, batch 32 0.78-0.80x;
 * docs/runs/turn32-2026-12-04).
 *
 * <p>Not thread-safe: one per worker, used by its thread only.
 */
final class IdleSpin {
    /**
     * The spin on a vCPU of its own ({@code -Dfeint.parallel.spinNanos} for experiments): 3 ms
     * covers the caller's serial stretches and the chunks' imbalance at batch 32 and costs at most
     * 3 ms of one core after the application's last call (ONNX Runtime's pool spins 20-30 ms).
     */
    static final long LONG_NANOS = Long.getLong("feint.parallel.spinNanos", 3_000_000);
    /**
     * The spin on a contended vCPU, as before issue 19's fix: a forward's tasks come back to back
     * ({@code -Dfeint.parallel.shortSpinNanos} for experiments).
     */
    static final long SHORT_NANOS = Long.getLong("feint.parallel.shortSpinNanos", 200_000);
    /** A gap between two clock reads of the spin (30-150 us apart when it runs) that means it lost its vCPU. */
    static final long LOST_CPU_NANOS = 1_000_000;
    /** How long the spin stays short after it lost its vCPU. */
    static final long SHORT_FOR_NANOS = 100_000_000;

    private long shortUntil;
    private boolean everLost;
    private volatile int losses;

    /**
     * At a clock read of a spin that started at {@code start}, the previous read at {@code previous}
     * (the start for the first): whether the spin is over and the worker should park.
     */
    boolean over(long start, long previous, long now) {
        if (now - previous > LOST_CPU_NANOS) {
            shortUntil = now + SHORT_FOR_NANOS;
            everLost = true;
            losses++;   // one writer: this worker
        }
        boolean contended = everLost && now - shortUntil < 0;
        return now - start > (contended ? SHORT_NANOS : LONG_NANOS);
    }

    /** {@return how many times the spin lost its vCPU} (tests: short spins are then right) */
    int losses() { return losses; }
}
