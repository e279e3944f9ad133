package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.PreparedConv;
import java.util.Random;

/**
 * PreAct-ResNet-18's stride-1 3x3 layers on 3x32x32 (64 x 32x32 to 512 x 4x4): forward and input
 * gradient with the weights prepared once (as inside an attack's FrozenWeights scope), the direct
 * kernel against Winograd F(4x4, 3x3), best of several runs, without JMH. Arguments: batch sizes
 * (default 128 1) and optionally {@code --threads N} (default 2).
 */
public final class Conv3x3Report {
    private Conv3x3Report() {}

    public static void main(String[] args) {
        int threads = 2;
        java.util.List<Integer> batches = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++)
            if (args[i].equals("--threads")) threads = Integer.parseInt(args[++i]);
            else batches.add(Integer.parseInt(args[i]));
        if (batches.isEmpty()) batches = java.util.List.of(128, 1);
        Parallel.setThreads(threads);
        boolean saved = Conv2dKernels.winograd();
        System.out.printf("%-28s %-9s %10s %10s %8s%n", "layer", "op", "direct ms", "wino ms", "speedup");
        for (int batch : batches)
            for (int c : new int[] {64, 128, 256, 512}) {
                int side = 32 * 64 / c;
                ConvGeometry g = new ConvGeometry(batch, c, side, side, c, 3, 3, 1, 1, 1, 1, 1, 1);
                Random r = new Random(1);
                float[] x = ConvBenchmark.random(r, g.n() * g.c() * g.h() * g.w()), w = ConvBenchmark.random(r, g.o() * g.patch());
                float[] out = new float[g.n() * g.o() * g.outH() * g.outW()], gx = new float[x.length];
                int reps = batch > 8 ? 4 : 30;
                double[] fwd = new double[2], bwd = new double[2];
                for (int mode = 0; mode < 2; mode++) {
                    Conv2dKernels.setWinograd(mode == 1);
                    PreparedConv pf = PreparedConv.forward(g, w), pb = PreparedConv.inputGradient(g, w);
                    fwd[mode] = best(reps, () -> Conv2dKernels.forward(g, x, w, null, out, pf));
                    bwd[mode] = best(reps, () -> Conv2dKernels.backwardInput(g, out, w, gx, pb));
                }
                String name = "n=" + batch + " " + c + "x" + side + "x" + side;
                System.out.printf("%-28s %-9s %10.2f %10.2f %7.2fx%n", name, "forward", fwd[0], fwd[1], fwd[0] / fwd[1]);
                System.out.printf("%-28s %-9s %10.2f %10.2f %7.2fx%n", name, "gradX", bwd[0], bwd[1], bwd[0] / bwd[1]);
            }
        Conv2dKernels.setWinograd(saved);
    }

    /** Best wall time in ms over reps runs after two warm-up runs. */
    private static double best(int reps, Runnable op) {
        for (int i = 0; i < 2; i++) op.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}
