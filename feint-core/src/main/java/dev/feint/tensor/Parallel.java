package dev.feint.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Fixed work split over a small pool. Range [0, n) is cut into {@code threads()} contiguous chunks
 * that depend only on n and the thread count, so results never depend on timing.
 */
public final class Parallel {
    /** Body over a half-open range, run by one worker; {@code chunk} is the worker's index. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile ExecutorService pool;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private Parallel() {}

    public static int threads() { return threads; }

    /** Sets the number of worker threads (>= 1) used by every kernel. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            threads = n;
            if (pool != null) pool.shutdown();
            pool = null;
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            ThreadFactory tf = r -> {
                Thread t = new Thread(() -> { INSIDE.set(true); r.run(); }, "feint-worker");
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(threads, tf);
        }
        return pool;
    }

    /** Number of chunks {@link #forRange} will use for n items and a minimum grain. */
    public static int chunks(int n, int minGrain) {
        if (INSIDE.get()) return 1;
        int t = threads;
        int byGrain = Math.max(1, n / Math.max(1, minGrain));
        return Math.max(1, Math.min(t, Math.min(n, byGrain)));
    }

    /** Runs body over [0, n) in {@link #chunks(int, int)} fixed contiguous chunks. */
    public static void forRange(int n, int minGrain, RangeBody body) {
        int c = chunks(n, minGrain);
        if (c <= 1) {
            if (n > 0) body.run(0, 0, n);
            return;
        }
        ExecutorService p = pool();
        Future<?>[] fs = new Future<?>[c - 1];
        for (int i = 1; i < c; i++) {
            final int ci = i;
            final int from = (int) ((long) n * i / c), to = (int) ((long) n * (i + 1) / c);
            fs[i - 1] = p.submit(() -> body.run(ci, from, to));
        }
        body.run(0, 0, (int) ((long) n / c));
        Throwable err = null;
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (err == null) err = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (err == null) err = e;
            }
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error er) throw er;
        if (err != null) throw new RuntimeException(err);
    }
}
