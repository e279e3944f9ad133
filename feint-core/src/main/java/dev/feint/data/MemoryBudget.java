package dev.feint.data;

import dev.feint.FeintException;

import java.nio.file.Path;

/**
 * The share of the heap a reader may fill with one file's data held in memory (a gzip IDX file,
 * a compressed NPZ array), checked against the size its header declares before anything is
 * allocated, so a small file declaring a large array is refused with a message instead of
 * running the JVM out of memory.
 */
final class MemoryBudget {
    private MemoryBudget() {}

    /** A lower limit for tests (so a bound is shown without a large heap); negative: none. */
    static volatile long testLimit = -1;

    /** Bytes one in-memory store may take: a third of the largest heap. */
    static long limit() {
        long l = Runtime.getRuntime().maxMemory() / 3;
        return testLimit >= 0 ? Math.min(testLimit, l) : l;
    }

    /** Refuses {@code bytes} of {@code file}'s data in memory beyond {@link #limit}; {@code advice} says what to do instead. */
    static void require(Path file, long bytes, String advice) {
        long limit = limit();
        if (bytes > limit)
            throw new FeintException(file + ": declares " + bytes + " bytes of data to hold in memory, more than a third of "
                    + "this JVM's heap (expected at most " + limit + " bytes; " + advice + ", or raise the heap with FEINT_HEAP)");
    }
}
