package dev.feint.tensor;

/**
 * Whether {@link Parallel}'s workers are getting a CPU (issue 19). Over each window of
 * {@link #WINDOW} split tasks it counts the chunks the workers ran; when they ran less than an
 * eighth (the caller claimed nearly everything, because the workers' vCPUs were busy with other
 * tenants), splitting is switched off for a while: the caller then runs every chunk itself,
 * without publishing, and the idle workers park instead of spinning against the caller for the
 * same CPUs (on a loaded machine a spinning worker slowed batch-one calls down: a tenth of them
 * took 3-10x longer on 2 threads than on 1). The pause starts at {@link #MIN_PAUSE_NANOS} and
 * doubles, up to {@link #MAX_PAUSE_NANOS}, while the windows after it keep failing; a window in
 * which the workers helped resets it. Tasks in the first {@link #WAKE_GRACE_NANOS} after an idle gap
 * (no task published for longer than a worker's spin) are not counted: the workers have parked by
 * design then and take a wake-up to return, which is not a sign of busy vCPUs (without the grace,
 * the first calls after an application's pause ran alone: resnet18 at batch 1, 2 threads, got no
 * help from the worker in its first three calls after a 200 ms sleep). Timing decides only who
 * runs a chunk, never the chunks, so results do not change.
 *
 * <p>Not thread-safe: used by the one caller that holds the pool.
 */
final class HelpWatch {
    static final int WINDOW = 32;
    static final long MIN_PAUSE_NANOS = 4_000_000, MAX_PAUSE_NANOS = 64_000_000;
    /** Longer than a parked worker's wake-up (0.3-0.8 ms measured on this kind of VM). */
    static final long WAKE_GRACE_NANOS = 1_000_000;

    private int tasks, chunks, helped;
    private long pause = MIN_PAUSE_NANOS, until, lastEnd, graceUntil;
    private boolean paused;

    /** Whether the caller should run the task alone at time {@code now} (System.nanoTime()). */
    boolean alone(long now) {
        if (!paused) return false;
        if (now - until < 0) return true;
        paused = false;
        return false;
    }

    /** Before a split task is published, at {@code now}: after an idle gap the workers are waking up. */
    void publishing(long now) {
        if (now - lastEnd > Parallel.SPIN_NANOS) graceUntil = now + WAKE_GRACE_NANOS;
    }

    /** After a split task, at {@code now}: how many chunks it had and how many the caller ran itself. */
    void record(int taskChunks, int byCaller, long now) {
        lastEnd = now;
        if (now - graceUntil < 0) return;
        chunks += taskChunks;
        helped += taskChunks - byCaller;
        if (++tasks < WINDOW) return;
        if (helped * 8 < chunks) {
            paused = true;
            until = now + pause;
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
        } else {
            pause = MIN_PAUSE_NANOS;
        }
        tasks = chunks = helped = 0;
    }
}
