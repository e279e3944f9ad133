package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.Gemm;
import java.util.Random;

/**
 * Quick GEMM figures without JMH (about 20 s): GFLOP/s on 1 and 2 threads for square and
 * conv-shaped products, and the percentage of the measured FMA peak. Each figure is the best of 12
 * timed runs of about 50 ms, so it reflects the kernel rather than the machine's other tenants.
 */
public final class GemmReport {
    private GemmReport() {}

    /**
     * Prints the FMA peak and the GEMM's GFLOP/s and share of it on each shape, on 1 and 2 threads.
     *
     * @param args none
     * @throws Exception if the peak measurement is interrupted
     */
    public static void main(String[] args) throws Exception {
        double peak1 = PeakFlops.measure(1), peak2 = PeakFlops.measure(2);
        System.out.printf("FMA peak: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)%n", peak1, peak2);
        int[][] shapes = {{128, 128, 128}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
                          {64, 196, 800}, {800, 196, 64}, {64, 800, 196}};
        String[] names = {"128^3", "256^3", "512^3", "1024^3", "conv fwd 64x196x800",
                          "conv bwd-in 800x196x64 (A^T)", "conv bwd-w 64x800x196 (B^T)"};
        boolean[][] trans = {{false, false}, {false, false}, {false, false}, {false, false},
                             {false, false}, {true, false}, {false, true}};
        System.out.printf("%-30s %12s %7s %12s %7s%n", "m x n x k", "1 thr GF/s", "%peak", "2 thr GF/s", "%peak");
        for (int s = 0; s < shapes.length; s++) {
            int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
            double g1 = gflops(m, n, k, trans[s][0], trans[s][1], 1);
            double g2 = gflops(m, n, k, trans[s][0], trans[s][1], 2);
            System.out.printf("%-30s %12.1f %6.0f%% %12.1f %6.0f%%%n", names[s], g1, 100 * g1 / peak1, g2, 100 * g2 / peak2);
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Best-of GFLOP/s of sgemmParallel for one shape on the given thread count. */
    static double gflops(int m, int n, int k, boolean ta, boolean tb, int threads) {
        Parallel.setThreads(threads);
        Random r = new Random(42);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        int lda = ta ? m : k, ldb = tb ? k : n;
        double flop = 2.0 * m * n * k;
        int reps = (int) Math.max(1, 7e9 / flop);                 // ~50 ms per timed run at 150 GF/s
        double best = 0;
        // Many short runs, keep the best: warms up the JIT and skips windows where the shared
        // machine's other processes took the cores.
        for (int round = 0; round < 12; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) Gemm.sgemmParallel(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
            double sec = (System.nanoTime() - t0) * 1e-9;
            best = Math.max(best, reps * flop / sec / 1e9);
        }
        return best;
    }
}
