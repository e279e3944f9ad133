package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * preact-resnet18's eval forward (3x32x32, seeded weights) on one thread, timed by the calling
 * thread's CPU time as well as the wall clock, as {@code feint bench --preact} runs it (weights
 * frozen, no gradient, activations from the arena), for A/B comparisons of builds on a shared
 * machine: a one-thread call's CPU time is what the call itself cost, however busy the machine.
 * Prints the median of the rounds and the first logit (the same between builds that compute
 * the same bits).
 *
 * <p>Usage: {@code PreactForwardTime [batch] [calls] [rounds]}, defaults 128 3 5.
 */
public final class PreactForwardTime {
    private PreactForwardTime() {}

    /**
     * Prints the forward's CPU and wall time per call.
     *
     * @param args optional batch, calls per round and rounds
     */
    public static void main(String[] args) {
        int n = arg(args, 0, 128), calls = arg(args, 1, 3), rounds = arg(args, 2, 5);
        Parallel.setThreads(1);
        Network net = Network.create(Presets.get("preact-resnet18", PreactBench.C, PreactBench.H, PreactBench.W, PreactBench.CLASSES), 1).eval();
        float[] x = ImportedBench.images(n * PreactBench.C * PreactBench.H * PreactBench.W, 10 + n);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] cpu = new double[rounds], wall = new double[rounds];
        float first = 0;
        try (FrozenWeights f = FrozenWeights.open()) {
            for (int i = 0; i < 3; i++) first = logit(net, x, n);
            for (int k = 0; k < rounds; k++) {
                long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) first = logit(net, x, n);
                cpu[k] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
                wall[k] = (System.nanoTime() - t0) / 1e6 / calls;
            }
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "preact-resnet18 forward, batch %d, 1 thread: CPU %.1f ms/call (median of %d x %d; %.1f-%.1f), "
                        + "%.1f img/s of CPU; wall %.1f ms; logit[0] %s; load %s%n", n, cpu[rounds / 2], rounds, calls, cpu[0], cpu[rounds - 1],
                n * 1000 / cpu[rounds / 2], wall[rounds / 2], Float.toString(first), SideBySide.Machine.loadAverage());
    }

    private static float logit(Network net, float[] x, int n) {
        return SideBySide.feintLogits(net, x, n, PreactBench.C, PreactBench.H, PreactBench.W)[0];
    }

    private static int arg(String[] args, int i, int def) {
        if (args.length <= i) return def;
        int v = Integer.parseInt(args[i]);
        if (v < 1) throw new IllegalArgumentException("argument " + (i + 1) + " must be >= 1, got " + v);
        return v;
    }
}
