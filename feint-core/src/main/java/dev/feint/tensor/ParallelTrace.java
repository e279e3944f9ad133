package dev.feint.tensor;

/**
 * A record of {@link Parallel}'s decisions, for finding out why a split ran slowly (issue 19's
 * batch 32 x 2 threads row): per {@link Parallel#forRange} call, how it ran (split, alone because
 * {@link HelpWatch} paused splitting, alone because another thread held the pool), when, how many
 * chunks, how many of them the caller ran, and how long after publishing a worker started its first
 * chunk, and how long the caller then waited for chunks a worker had started. Off unless {@code -Dfeint.parallel.trace=true}; then the calls fill a fixed buffer (the
 * rest are dropped) that a harness reads with {@link #drain}. Recording changes no chunk.
 */
public final class ParallelTrace {
    /** Whether calls are recorded ({@code -Dfeint.parallel.trace=true}). */
    public static final boolean ENABLED = Boolean.getBoolean("feint.parallel.trace");

    /** How a {@link Parallel#forRange} call ran. */
    public static final int SPLIT = 0, ALONE_WATCH = 1, ALONE_BUSY = 2;

    private static final int CAPACITY = 1 << 20, FIELDS = 7;
    private static final long[] EVENTS = ENABLED ? new long[CAPACITY * FIELDS] : new long[0];
    private static int count;

    private ParallelTrace() {}

    /**
     * One call: {@code kind}, its start and end (System.nanoTime()), its chunks, the caller's, the first worker chunk's start
     * (0: none), and the caller's wait for the workers' chunks once none was left to claim (nanoseconds).
     */
    static synchronized void record(int kind, long start, long end, int chunks, int byCaller, long workerStart, long awaitNanos) {
        if (count >= CAPACITY) return;
        int o = count++ * FIELDS;
        EVENTS[o] = kind;
        EVENTS[o + 1] = start;
        EVENTS[o + 2] = end;
        EVENTS[o + 3] = chunks;
        EVENTS[o + 4] = byCaller;
        EVENTS[o + 5] = workerStart;
        EVENTS[o + 6] = awaitNanos;
    }

    /**
     * The calls recorded since the last drain, each {kind, start, end, chunks, byCaller, workerStart, awaitNanos}, and clears them.
     *
     * @return one row per call, oldest first
     */
    public static synchronized long[][] drain() {
        long[][] out = new long[count][];
        for (int i = 0; i < count; i++) out[i] = java.util.Arrays.copyOfRange(EVENTS, i * FIELDS, (i + 1) * FIELDS);
        count = 0;
        return out;
    }
}
