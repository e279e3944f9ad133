package dev.feint.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed work split over a small pool. Range [0, n) is cut into {@code threads()} contiguous chunks
 * that depend only on n and the thread count, so results never depend on timing.
 *
 * <p>Workers spin for a short while ({@link #SPIN_NANOS}) after each task before parking: waking a
 * parked thread measured 0.3-0.8 ms on this kind of VM (the idle vCPU halts), more than a whole
 * first-layer convolution, while a spinning worker picks a task up in microseconds. A forward pass
 * hands out several tasks back to back, so the spin is almost always hit.
 */
public final class Parallel {
    /** Body over a half-open range, run by one worker; {@code chunk} is the worker's index. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 2_000_000;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Pool pool;
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

    private static synchronized Pool pool() {
        if (pool == null) pool = new Pool(threads - 1);
        return pool;
    }

    /** Number of chunks {@link #forRange} will use for n items and a minimum grain. */
    public static int chunks(int n, int minGrain) {
        if (INSIDE.get()) return 1;
        int t = threads;
        int byGrain = Math.max(1, n / Math.max(1, minGrain));
        return Math.max(1, Math.min(t, Math.min(n, byGrain)));
    }

    /**
     * Runs body over [0, n) in {@link #chunks(int, int)} fixed contiguous chunks: chunk 0 on the
     * caller, the others on the workers. Calls from inside a chunk run on one chunk. If another
     * thread is using the workers, the caller runs every chunk itself, in order: same chunks,
     * same results.
     */
    public static void forRange(int n, int minGrain, RangeBody body) {
        int c = chunks(n, minGrain);
        if (c <= 1) {
            if (n > 0) body.run(0, 0, n);
            return;
        }
        Pool p = pool();
        if (!p.busy.compareAndSet(false, true)) {
            for (int i = 0; i < c; i++) runInside(body, i, bound(n, i, c), bound(n, i + 1, c));
            return;
        }
        Throwable err;
        try {
            Task t = new Task(body, n, c);
            p.publish(t);
            try {
                runInside(body, 0, 0, bound(n, 1, c));
            } catch (RuntimeException | Error e) {
                t.fail(e);
            }
            t.await();
            err = t.error.get();
        } finally {
            p.busy.set(false);
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error er) throw er;
        if (err != null) throw new RuntimeException(err);
    }

    /** Body for one item of {@link #forEachItem}. */
    @FunctionalInterface
    public interface ItemBody {
        void run(int item);
    }

    /**
     * Runs body for each item of [0, n), the caller and the workers each taking the next unclaimed
     * item until none is left. For items whose results do not depend on which thread computes
     * them (one image of a batch, one block of a product's rows): the results are the same as
     * {@link #forRange}'s, and a thread slowed down (by another tenant of the VM, or a late
     * wake-up) takes fewer items instead of holding up the rest.
     */
    public static void forEachItem(int n, ItemBody body) {
        int c = chunks(n, 1);
        if (c <= 1) {
            for (int i = 0; i < n; i++) body.run(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        forRange(c, 1, (chunk, from, to) -> {
            for (int i; (i = next.getAndIncrement()) < n; ) body.run(i);
        });
    }

    private static int bound(int n, int i, int c) { return (int) ((long) n * i / c); }

    private static void runInside(RangeBody body, int chunk, int from, int to) {
        boolean was = INSIDE.get();
        INSIDE.set(true);
        try {
            body.run(chunk, from, to);
        } finally {
            INSIDE.set(was);
        }
    }

    /** One forRange call: immutable split, a countdown of the worker chunks, the first failure. */
    private static final class Task {
        final RangeBody body;
        final int n, chunks;
        final AtomicInteger pending;
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Task(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.pending = new AtomicInteger(chunks - 1);
        }

        void fail(Throwable e) { error.compareAndSet(null, e); }

        /** Caller side: the worker chunks finish within a task's time, so spin (yielding now and then). */
        void await() {
            for (int spins = 0; pending.get() != 0; spins++) {
                if ((spins & 0xfff) == 0xfff) Thread.yield();
                else Thread.onSpinWait();
            }
        }
    }

    /** Daemon workers that spin on the published task, then park. */
    private static final class Pool {
        final AtomicBoolean busy = new AtomicBoolean();
        final Worker[] workers;
        volatile Task task;
        volatile boolean stopped;

        Pool(int count) {
            workers = new Worker[count];
            for (int i = 0; i < count; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void publish(Task t) {
            task = t;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        final Pool pool;
        final int chunk;
        volatile boolean parked;

        Worker(Pool pool, int chunk) {
            super("feint-worker-" + chunk);
            this.pool = pool;
            this.chunk = chunk;
            setDaemon(true);
        }

        @Override public void run() {
            INSIDE.set(true);
            Task done = null;
            while (true) {
                Task t = pool.task;
                if (t == done) {
                    // A task published before a shutdown is still run: its caller waits for it.
                    if (pool.stopped) return;
                    idle(done);
                    continue;
                }
                done = t;
                if (chunk >= t.chunks) continue;
                try {
                    t.body.run(chunk, bound(t.n, chunk, t.chunks), bound(t.n, chunk + 1, t.chunks));
                } catch (Throwable e) {
                    t.fail(e);
                } finally {
                    t.pending.decrementAndGet();
                }
            }
        }

        /** Spins until a new task (or the spin time is up), then parks until published to. */
        private void idle(Task done) {
            long start = System.nanoTime();
            for (int spins = 1; pool.task == done && !pool.stopped; spins++) {
                Thread.onSpinWait();
                if ((spins & 0x3ff) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                    parked = true;
                    // Re-check after announcing: publish() either sees parked or we see its task.
                    if (pool.task == done && !pool.stopped) LockSupport.park(this);
                    parked = false;
                    start = System.nanoTime();
                }
            }
        }
    }
}
