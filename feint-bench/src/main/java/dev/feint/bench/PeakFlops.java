package dev.feint.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's single-precision FMA peak with the Vector API: independent FMA chains
 * (enough to hide FMA latency), no memory traffic, on 1 and 2 threads. The GEMM is judged against it.
 */
public final class PeakFlops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final long ITERS = 25_000_000L;   // ~50 ms per run at 200 GFLOP/s

    private PeakFlops() {}

    /**
     * Prints the vector species and the FMA peak on 1 and 2 threads.
     *
     * @param args none
     * @throws Exception if a measuring thread is interrupted
     */
    public static void main(String[] args) throws Exception {
        System.out.printf("species %s (%d floats)%n", S, S.length());
        System.out.printf("peak 1 thread : %.1f GFLOP/s%n", measure(1));
        System.out.printf("peak 2 threads: %.1f GFLOP/s%n", measure(2));
    }

    /** Best-of-10 aggregate GFLOP/s of {@code threads} threads each running {@link #chains}. */
    static double measure(int threads) throws InterruptedException {
        chains(ITERS / 20);                                  // warm up / JIT
        double best = 0;
        for (int rep = 0; rep < 10; rep++) {
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> chains(ITERS));
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            double sec = (System.nanoTime() - t0) * 1e-9;
            best = Math.max(best, threads * ITERS * 12.0 * S.length() * 2 / sec / 1e9);
        }
        return best;
    }

    /** 12 independent accumulators, one FMA each per iteration. Returns a sum so nothing is dead. */
    static float chains(long iters) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f), y = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
