package dev.feint.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(saved); }

    /** Which chunk ran each index, for a fixed n. */
    private static int[] owners(int n) {
        AtomicIntegerArray owner = new AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) owner.set(i, -1);
        Parallel.forRange(n, 1, (chunk, from, to) -> {
            for (int i = from; i < to; i++) if (!owner.compareAndSet(i, -1, chunk)) throw new AssertionError("index " + i + " ran twice");
        });
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = owner.get(i);
        return out;
    }

    @Test
    void everyIndexRunsOnceInFixedContiguousChunks() {
        for (int t : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(t);
            for (int n : new int[] {1, 2, 7, 100}) {
                int[] first = owners(n);
                for (int rep = 0; rep < 50; rep++) assertArrayEquals(first, owners(n), "threads " + t + " n " + n);
                int c = Math.min(t, n);
                for (int k = 0; k < c; k++)
                    for (int i = (int) ((long) n * k / c); i < (long) n * (k + 1) / c; i++)
                        assertEquals(k, first[i], "index " + i + " of " + n + " with " + t + " threads");
            }
        }
    }

    @Test
    void forEachItemRunsEveryItemExactlyOnceOnAnyThreadCount() {
        for (int t : new int[] {1, 2, 3}) {
            Parallel.setThreads(t);
            for (int n : new int[] {0, 1, 2, 7, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                Parallel.forEachItem(n, i -> {
                    hits.incrementAndGet(i);
                    Parallel.forEachItem(3, j -> { });                     // nested: runs inline
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "item " + i + " of " + n + ", threads " + t);
            }
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Parallel.forEachItem(50, i -> {
                if (i == 31) throw boom;
            })));
        }
    }

    @Test
    void aWorkerFailureReachesTheCallerAndThePoolKeepsWorking() {
        Parallel.setThreads(3);
        IllegalStateException boom = new IllegalStateException("boom");
        RuntimeException got = assertThrows(RuntimeException.class,
                () -> Parallel.forRange(9, 1, (chunk, from, to) -> { if (chunk == 2) throw boom; }));
        assertSame(boom, got);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, owners(9));
    }

    @Test
    void nestedCallsRunOnTheirOwnChunk() {
        Parallel.setThreads(2);
        int[] inner = new int[2];
        Parallel.forRange(2, 1, (chunk, from, to) -> inner[chunk] = Parallel.chunks(100, 1));
        assertArrayEquals(new int[] {1, 1}, inner);
    }

    @Test
    void concurrentCallersGetTheSameSplit() throws Exception {
        Parallel.setThreads(2);
        int[] expected = owners(1000);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            java.util.List<Future<int[]>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) fs.add(callers.submit(() -> owners(1000)));
            for (Future<int[]> f : fs) assertArrayEquals(expected, f.get());
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void theCallerReturnsOnlyAfterEveryChunkEvenSlowOnes() {
        // Chunks slower than the caller's spin: it parks and must be woken by the last one, not
        // return early; thousands of tiny calls check the claim and wake-up under races.
        Parallel.setThreads(2);
        for (int rep = 0; rep < 3; rep++) {
            AtomicIntegerArray done = new AtomicIntegerArray(2);
            Parallel.forRange(2, 1, (chunk, from, to) -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                done.set(chunk, 1);
            });
            assertEquals(1, done.get(0));
            assertEquals(1, done.get(1));
        }
        for (int rep = 0; rep < 3000; rep++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(2);
            Parallel.forRange(2, 1, (chunk, from, to) -> hits.incrementAndGet(chunk));
            assertEquals(1, hits.get(0), "call " + rep);
            assertEquals(1, hits.get(1), "call " + rep);
        }
    }

    @Test
    void aWorkerStaysAwakeAcrossGapsShorterThanItsSpin() {
        // A parked worker woken after a gap can land on the caller's vCPU and share it with the
        // caller while the other vCPU idles (Parallel.SPIN_NANOS): half a millisecond between two
        // tasks, the caller's serial work between a forward's layers, must not park it.
        Parallel.setThreads(2);
        Parallel.RangeBody body = (chunk, from, to) -> busy(50_000);   // long enough for the worker to claim one
        Parallel.forRange(2, 1, body);
        int gaps = 40, before = Parallel.workerParks(), lost = Parallel.workerLostCpu();
        for (int k = 0; k < gaps; k++) {
            busy(500_000);
            Parallel.forRange(2, 1, body);
        }
        int parked = Parallel.workerParks() - before;
        // On a loaded machine the worker's spin loses its vCPU and is then short by design (IdleSpin).
        assumeTrue(Parallel.workerLostCpu() == lost, "the worker lost its vCPU to another thread during the test");
        assertTrue(parked <= gaps / 4, "the worker parked in " + parked + " of " + gaps + " gaps of 0.5 ms");
    }

    @Test
    void aWorkerOnTheCallersVcpuMovesOff() {
        // The loaded bench's worst layout (perf sched): the worker queued on the caller's vCPU. Here
        // the caller is pinned to one vCPU and, in each round, its worker is put there too (pinned
        // from inside a chunk it runs, then let free again, as a wake-up onto the caller's vCPU
        // leaves it); before its next chunk, or while it spins for one, it must leave.
        assumeTrue(CpuPlacement.available(), "sched_getcpu/sched_setaffinity not linkable here");
        CpuPlacement caller = new CpuPlacement();
        assumeTrue(caller.allowedCpus() >= 2, "this thread may run on one vCPU only");
        Parallel.setThreads(2);
        Parallel.forRange(2, 1, (chunk, from, to) -> busy(50_000));   // the pool, made while the caller may run anywhere
        int home = CpuPlacement.cpu();
        assertTrue(caller.pinTo(home));
        Thread me = Thread.currentThread();
        try {
            int rounds = 20, placed = 0, before = Parallel.workerMoves();
            for (int k = 0; k < rounds; k++) {
                java.util.concurrent.atomic.AtomicBoolean put = new java.util.concurrent.atomic.AtomicBoolean();
                // Blocks claimed one at a time: the worker gets some even when it starts late.
                Parallel.forBlocks(32, 32, (block, from, to) -> {
                    if (Thread.currentThread() != me && put.compareAndSet(false, true)) {
                        CpuPlacement w = new CpuPlacement();
                        if (!w.pinTo(home)) put.set(false);
                        w.unpin();
                    }
                    busy(100_000);
                });
                if (put.get()) placed++;
                Parallel.forBlocks(32, 32, (block, from, to) -> busy(100_000));
            }
            int moved = Parallel.workerMoves() - before;
            assumeTrue(placed >= rounds / 4, "the worker ran a block in only " + placed + " of " + rounds + " rounds");
            assertTrue(moved >= placed / 2, "the worker left the caller's vCPU " + moved + " times after being put there " + placed + " times");
        } finally {
            caller.unpin();
        }
    }

    private static void busy(long nanos) {
        for (long end = System.nanoTime() + nanos; System.nanoTime() < end; ) Thread.onSpinWait();
    }

    @Test
    void grainKeepsSmallWorkOnOneChunk() {
        Parallel.setThreads(2);
        assertEquals(1, Parallel.chunks(32, Parallel.grain(196 * 4)));              // one image's 2x2 pooling planes
        assertEquals(2, Parallel.chunks(32 * 128, Parallel.grain(196 * 4)));        // a batch of 128
        assertEquals(1, Parallel.grain(Parallel.MIN_SPLIT_WORK));
        assertEquals(2, Parallel.grain(Parallel.MIN_SPLIT_WORK - 1));
        assertEquals(Parallel.MIN_SPLIT_WORK, Parallel.grain(0));
    }

    @Test
    void forBlocksRunsFixedBlocksEachOnce() {
        for (int t : new int[] {1, 2, 3}) {
            Parallel.setThreads(t);
            for (int n : new int[] {1, 5, 8, 1000}) {
                AtomicIntegerArray block = new AtomicIntegerArray(n);
                for (int i = 0; i < n; i++) block.set(i, -1);
                Parallel.forBlocks(n, 8, (b, from, to) -> {
                    for (int i = from; i < to; i++) if (!block.compareAndSet(i, -1, b)) throw new AssertionError("index " + i + " ran twice");
                });
                int b = Math.min(n, 8);
                for (int k = 0; k < b; k++)
                    for (int i = (int) ((long) n * k / b); i < (long) n * (k + 1) / b; i++)
                        assertEquals(k, block.get(i), "index " + i + " of " + n + " with " + t + " threads");
            }
        }
    }
}
