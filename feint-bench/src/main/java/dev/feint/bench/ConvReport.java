package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.ConvReference;
import java.util.Random;

/**
 * Quick madry-cnn conv2 figures without JMH: fast kernel time (1 and 2 threads, best of several
 * runs) against one run of the scalar {@link ConvReference}, for forward and both backward passes.
 * Optional argument: batch size (default 128).
 */
public final class ConvReport {
    private ConvReport() {}

    /** One timed conv operation. */
    @FunctionalInterface
    interface Op {
        void run(float[] x, float[] w, float[] bias, float[] out, float[] gradOut, float[] gradX, float[] gradW, float[] gradB);
    }

    /**
     * Prints the convolution kernels' GFLOP/s on madry-cnn's second layer.
     *
     * @param args optional: the batch size (default 128)
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        ConvGeometry g = new ConvGeometry(batch, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);
        double gflop = 2.0 * g.n() * g.o() * g.outH() * g.outW() * g.patch() / 1e9;
        System.out.printf("madry-cnn conv2 %s: %.2f GFLOP per op%n", g, gflop);
        String[] names = {"forward", "backwardInput", "backwardWeight"};
        Op[] fast = {(x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.forward(g, x, w, b, o),
                     (x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.backwardInput(g, go, w, gx),
                     (x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.backwardWeight(g, x, go, gw, gb)};
        Op[] ref = {(x, w, b, o, go, gx, gw, gb) -> ConvReference.forward(g, x, w, b, o),
                    (x, w, b, o, go, gx, gw, gb) -> ConvReference.backwardInput(g, go, w, gx),
                    (x, w, b, o, go, gx, gw, gb) -> ConvReference.backwardWeight(g, x, go, gw, gb)};
        System.out.printf("%-22s %12s %12s %12s %10s %10s%n", "op", "ref ms", "fast 1t ms", "fast 2t ms", "speedup1t", "speedup2t");
        boolean winograd = Conv2dKernels.winograd();
        for (int i = 0; i < names.length; i++) {
            double tRef = time(g, ref[i], 1, 1);
            // The direct kernels, then Winograd (this layer qualifies); GFLOP/s counts the direct
            // algorithm's multiply-adds for both, so the figures compare as speed.
            for (boolean wino : new boolean[] {false, true}) {
                Conv2dKernels.setWinograd(wino);
                double t1 = time(g, fast[i], 1, 8), t2 = time(g, fast[i], 2, 8);
                System.out.printf("%-22s %12.1f %12.2f %12.2f %9.0fx %9.0fx   (%.0f / %.0f GFLOP/s)%n", names[i] + (wino ? " winograd" : " direct"),
                        tRef, t1, t2, tRef / t1, tRef / t2, gflop / t1 * 1e3, gflop / t2 * 1e3);
            }
        }
        Conv2dKernels.setWinograd(winograd);
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Best wall time in ms over {@code reps} runs (after one warm-up run when reps > 1). */
    static double time(ConvGeometry g, Op op, int threads, int reps) {
        Parallel.setThreads(threads);
        Random r = new Random(1);
        float[] x = ConvBenchmark.random(r, g.n() * g.c() * g.h() * g.w()), w = ConvBenchmark.random(r, g.o() * g.patch());
        float[] b = ConvBenchmark.random(r, g.o()), out = new float[g.n() * g.o() * g.outH() * g.outW()];
        float[] go = ConvBenchmark.random(r, out.length), gx = new float[x.length], gw = new float[w.length], gb = new float[g.o()];
        if (reps > 1) for (int i = 0; i < 3; i++) op.run(x, w, b, out, go, gx, gw, gb);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run(x, w, b, out, go, gx, gw, gb);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}
