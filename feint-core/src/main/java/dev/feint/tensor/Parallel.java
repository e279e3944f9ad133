package dev.feint.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed work split over a small pool. Range [0, n) is cut into {@code threads()} contiguous chunks
 * that depend only on n and the thread count, so results never depend on timing.
 *
 * <p>Chunks are claimed, not assigned: the caller and the workers each take the next unclaimed
 * chunk until none is left, so a worker that is late (parked, or its vCPU taken by another tenant
 * of the machine) costs nothing but its help; the caller then runs its chunk itself. The caller
 * waits only for chunks a worker has started, spinning briefly ({@link #AWAIT_SPIN_NANOS}) and then
 * parking until the last of them unparks it, so a waiting caller never holds a core the worker it
 * waits for may need for long. Idle workers spin for {@link #SPIN_NANOS} or longer after a task
 * (waking a parked thread measured 0.3-0.8 ms on this kind of VM, a forward pass hands out several
 * tasks back to back, and a woken worker may land on the caller's vCPU: {@link IdleSpin}), then
 * park. A worker that finds itself on the vCPU the caller published from moves to another
 * ({@link CpuPlacement}): there it could only take turns with the caller. Neither spin yields: on
 * a loaded machine {@code Thread.yield} hands the rest of the thread's time slice to whatever else
 * is runnable (another tenant's busy thread, for milliseconds), not to the Feint thread it waits
 * for. When the workers stop getting a CPU (they ran almost none of the recent chunks),
 * {@link HelpWatch} has the caller run tasks alone for a while, so the workers park instead of
 * competing with it.
 */
public final class Parallel {
    /** Body over a half-open range, run by one worker; {@code chunk} is the worker's index. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Runs the body over one chunk.
         *
         * @param chunk the chunk's index, in [0, chunks)
         * @param from the first item, inclusive
         * @param to the last item, exclusive
         */
        void run(int chunk, int from, int to);
    }

    /**
     * How long an idle worker spins before parking at least, on a contended vCPU ({@link IdleSpin};
     * on a vCPU of its own it spins longer): a gap between tasks shorter than this finds it awake.
     */
    static final long SPIN_NANOS = IdleSpin.SHORT_NANOS;
    /**
     * How long a caller spins on chunks started by workers before parking: a wake-up from park
     * costs 0.3-0.8 ms on this kind of VM, more than a whole batch-one layer, while the last block a
     * worker runs takes tens of microseconds.
     */
    static final long AWAIT_SPIN_NANOS = 200_000;
    /**
     * Below this much work (inner-loop steps of the smallest kernels, about 5-10 us) a split costs
     * more than it saves: {@link #grain} turns it into a minimum number of items per chunk.
     */
    public static final long MIN_SPLIT_WORK = 32_768;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Pool pool;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private Parallel() {}

    /** {@return the number of threads kernels use, the caller included} */
    public static int threads() { return threads; }

    /**
     * Sets the number of worker threads (>= 1) used by every kernel.
     *
     * @param n the thread count, the caller included
     * @throws IllegalArgumentException if {@code n} is below 1
     */
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

    /**
     * The minimum grain (items per chunk) for items of {@code workPerItem} steps each, such that no
     * chunk holds less than {@link #MIN_SPLIT_WORK}: a batch of one splits only what is worth it.
     *
     * @param workPerItem inner-loop steps of one item
     * @return the minimum items per chunk, at least 1
     */
    public static int grain(long workPerItem) {
        long w = Math.max(1, workPerItem);
        return (int) Math.min(Integer.MAX_VALUE, (MIN_SPLIT_WORK + w - 1) / w);
    }

    /**
     * Number of chunks {@link #forRange} will use for n items and a minimum grain.
     *
     * @param n the number of items
     * @param minGrain the minimum items per chunk
     * @return the chunk count, 1 inside a chunk
     */
    public static int chunks(int n, int minGrain) {
        if (INSIDE.get()) return 1;
        int t = threads;
        int byGrain = Math.max(1, n / Math.max(1, minGrain));
        return Math.max(1, Math.min(t, Math.min(n, byGrain)));
    }

    /**
     * Runs body over [0, n) in {@link #chunks(int, int)} fixed contiguous chunks, each claimed by
     * the caller or a worker (whoever is free first; a thread may run several). Calls from inside
     * a chunk run on one chunk. If another thread is using the workers, the caller runs every
     * chunk itself, in order: same chunks, same results.
     *
     * @param n the number of items
     * @param minGrain the minimum items per chunk (see {@link #grain})
     * @param body runs one chunk
     */
    public static void forRange(int n, int minGrain, RangeBody body) {
        int c = chunks(n, minGrain);
        if (c <= 1) {
            if (n > 0) body.run(0, 0, n);
            return;
        }
        Pool p = pool();
        if (!p.busy.compareAndSet(false, true)) {
            long t0 = ParallelTrace.ENABLED ? System.nanoTime() : 0;
            for (int i = 0; i < c; i++) runInside(body, i, bound(n, i, c), bound(n, i + 1, c));
            if (ParallelTrace.ENABLED) ParallelTrace.record(ParallelTrace.ALONE_BUSY, t0, System.nanoTime(), c, c, 0, 0);
            return;
        }
        Throwable err;
        try {
            long now = System.nanoTime();
            if (p.watch.alone(now)) {
                for (int i = 0; i < c; i++) runInside(body, i, bound(n, i, c), bound(n, i + 1, c));
                if (ParallelTrace.ENABLED) ParallelTrace.record(ParallelTrace.ALONE_WATCH, now, System.nanoTime(), c, c, 0, 0);
                return;
            }
            p.watch.publishing(now);
            Task t = new Task(body, n, c, Thread.currentThread());
            p.publish(t);
            boolean was = INSIDE.get();
            INSIDE.set(true);
            int mine;
            try {
                mine = t.work();
            } finally {
                INSIDE.set(was);
            }
            long worked = ParallelTrace.ENABLED ? System.nanoTime() : 0;
            t.await();
            long end = System.nanoTime();
            p.watch.record(c, mine, end);
            if (ParallelTrace.ENABLED) ParallelTrace.record(ParallelTrace.SPLIT, now, end, c, mine, t.workerStart, end - worked);
            err = t.error.get();
        } finally {
            p.busy.set(false);
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error er) throw er;
        if (err != null) throw new RuntimeException(err);
    }

    /** {@return how many times the current pool's workers have parked} (tests) */
    static int workerParks() { return pool().parks.get(); }

    /** {@return how many times the current pool's workers moved off the caller's vCPU} (tests) */
    static int workerMoves() { return pool().moves.get(); }

    /** {@return how many times the current pool's workers' spins lost their vCPU} (tests) */
    static int workerLostCpu() {
        int n = 0;
        for (Worker w : pool().workers) n += w.spin.losses();
        return n;
    }

    /** Body for one item of {@link #forEachItem}. */
    @FunctionalInterface
    public interface ItemBody {
        /**
         * Runs the body for one item.
         *
         * @param item the item's index
         */
        void run(int item);
    }

    /**
     * Runs body for each item of [0, n), the caller and the workers each taking the next unclaimed
     * item until none is left. For items whose results do not depend on which thread computes
     * them (one image of a batch, one block of a product's rows): the results are the same as
     * {@link #forRange}'s, and a thread slowed down (by another tenant of the VM, or a late
     * wake-up) takes fewer items instead of holding up the rest.
     *
     * @param n the number of items
     * @param body runs one item
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

    /**
     * Runs body over [0, n) cut into {@code blocks} fixed contiguous blocks (fewer if n is
     * smaller), claimed one at a time as in {@link #forEachItem}: for splits whose results do
     * not depend on the cut, several blocks per thread mean a worker descheduled in the middle of
     * one holds up only that block, not half of the work. {@code chunk} is the block's index.
     *
     * @param n the number of items
     * @param blocks the number of blocks to cut them into
     * @param body runs one block
     */
    public static void forBlocks(int n, int blocks, RangeBody body) {
        int b = Math.max(1, Math.min(n, blocks));
        forEachItem(b, i -> body.run(i, bound(n, i, b), bound(n, i + 1, b)));
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

    /** One forRange call: immutable split, the next unclaimed chunk, a countdown, the first failure. */
    private static final class Task {
        final RangeBody body;
        final int n, chunks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger(), pending;
        final AtomicReference<Throwable> error = new AtomicReference<>();
        /** The vCPU the caller published from ({@link CpuPlacement}; -1: unknown). */
        final int callerCpu;
        /** When a worker started its first chunk ({@link ParallelTrace} only). */
        volatile long workerStart;

        Task(RangeBody body, int n, int chunks, Thread caller) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
            this.callerCpu = CpuPlacement.cpu();
            this.pending = new AtomicInteger(chunks);
        }

        void fail(Throwable e) { error.compareAndSet(null, e); }

        /** Runs unclaimed chunks until none is left (the caller and each worker; INSIDE is set); how many it ran. */
        int work() {
            int ran = 0;
            for (int i; (i = next.getAndIncrement()) < chunks; ran++) {
                if (ParallelTrace.ENABLED && workerStart == 0 && Thread.currentThread() != caller) workerStart = System.nanoTime();
                try {
                    body.run(i, bound(n, i, chunks), bound(n, i + 1, chunks));
                } catch (Throwable e) {
                    fail(e);
                } finally {
                    // The caller may be parked in await(); waking it is cheap if it is not.
                    if (pending.decrementAndGet() == 0 && Thread.currentThread() != caller) LockSupport.unpark(caller);
                }
            }
            return ran;
        }

        /** Caller side, once no chunk is left to claim: waits for the ones workers are running. */
        void await() {
            long start = System.nanoTime();
            for (int spins = 1; pending.get() != 0; spins++) {
                Thread.onSpinWait();
                // No yield while spinning (see the class comment); parked, this vCPU is free for the worker.
                if ((spins & 0x3ff) == 0 && System.nanoTime() - start >= AWAIT_SPIN_NANOS)
                    LockSupport.parkNanos(this, 1_000_000);   // the last chunk unparks us; the timeout is a safety net
            }
        }
    }

    /** Daemon workers that spin on the published task, then park. */
    private static final class Pool {
        final AtomicBoolean busy = new AtomicBoolean();
        /** Read and updated only by the caller holding {@link #busy}. */
        final HelpWatch watch = new HelpWatch();
        final Worker[] workers;
        /** How many times a worker parked (tests: a worker must not park between tasks closer than its spin). */
        final AtomicInteger parks = new AtomicInteger();
        /** How many times a worker moved off the caller's vCPU ({@link CpuPlacement}; tests, traces). */
        final AtomicInteger moves = new AtomicInteger();
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
        final IdleSpin spin = new IdleSpin();
        final CpuPlacement placement = new CpuPlacement();
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
                leaveCallersCpu(t);
                t.work();
            }
        }

        /**
         * If this worker runs on the vCPU the caller published from, it moves to another before it
         * claims a chunk: there it would only take turns with the caller (perf sched on the loaded
         * bench: a third of a batch-one turn with caller, worker and a load thread queued on one
         * vCPU and the other load thread alone on the other). The caller claims the chunks meanwhile.
         */
        private void leaveCallersCpu(Task t) {
            if (t.callerCpu >= 0 && CpuPlacement.cpu() == t.callerCpu && placement.moveOff(t.callerCpu)) pool.moves.incrementAndGet();
        }

        /**
         * Spins until a new task (or the spin time is up), then parks until published to. The
         * spin does not yield: a yield gave the rest of the time slice to other tenants' threads
         * on a loaded machine (batch 32 on 2 threads with 2 busy background threads: 0.84-1.11x
         * ONNX Runtime with yields, 1.20-1.26x without; docs/PERFORMANCE.md).
         */
        private void idle(Task done) {
            long start = System.nanoTime(), previous = start;
            for (int spins = 1; pool.task == done && !pool.stopped; spins++) {
                Thread.onSpinWait();
                if ((spins & 0x3ff) != 0) continue;
                long now = System.nanoTime();
                // Spinning on the caller's vCPU would take it from the caller, which has the next task to publish.
                if (done != null) leaveCallersCpu(done);
                if (spin.over(start, previous, now)) {
                    parked = true;
                    pool.parks.incrementAndGet();
                    // Re-check after announcing: publish() either sees parked or we see its task.
                    if (pool.task == done && !pool.stopped) LockSupport.park(this);
                    parked = false;
                    now = System.nanoTime();
                    start = now;
                }
                previous = now;
            }
        }
    }
}
