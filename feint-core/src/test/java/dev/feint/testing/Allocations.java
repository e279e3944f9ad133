package dev.feint.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes a piece of code allocates on the calling thread (HotSpot's per-thread counter), so a
 * test can show that a bound, not the heap size, is what stopped a hostile input.
 */
public final class Allocations {
    private Allocations() {}

    /** Runs {@code body} (which may throw) and returns the bytes this thread allocated meanwhile. */
    public static long of(Runnable body) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(id);
        try {
            body.run();
        } catch (RuntimeException expected) {
            // the caller checks the exception separately; only the allocation matters here
        }
        return mx.getThreadAllocatedBytes(id) - before;
    }
}
