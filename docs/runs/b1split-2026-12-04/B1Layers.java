package dev.feint.bench;

import dev.feint.autograd.Grad;
import dev.feint.nn.Module;
import dev.feint.nn.Network;
import dev.feint.tensor.Arena;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** b1split: ForwardProfile's per-layer batch-1 times in microseconds (p10/p50), threads 1 then 2 in one JVM, alternating rounds. */
public class B1Layers {
    public static void main(String[] a) {
        int runs = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]);
        Network net = SideBySide.network();
        net.eval();
        float[] xs = SideBySide.images(1, 7);
        Tensor x = Tensor.of(xs, 1, 1, 28, 28);
        List<Module> layers = net.chain().layers();
        try (var ng = Grad.noGrad(); var frozen = FrozenWeights.open()) {
            for (int r = 0; r < rounds; r++)
                for (int th = 1; th <= 2; th++) {
                    Parallel.setThreads(th);
                    for (int i = 0; i < 2000; i++) try (var ar = Arena.open()) { net.forward(x); }
                    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "round %d threads %d:", r, th));
                    Tensor h = x;
                    for (int i = 0; i < layers.size(); i += net.chain().span(i)) {
                        int at = i;
                        Tensor in = h;
                        double[] t = time(runs, () -> { try (var ar = Arena.open()) { net.chain().forwardSpan(at, in); } });
                        h = net.chain().forwardSpan(at, in);
                        sb.append(String.format(Locale.ROOT, "  L%d %.1f/%.1f", i, t[0], t[1]));
                    }
                    double[] w = time(runs, () -> { try (var ar = Arena.open()) { net.forward(x); } });
                    sb.append(String.format(Locale.ROOT, "  whole %.1f/%.1f us (p10/p50)", w[0], w[1]));
                    System.out.println(sb);
                }
        }
        System.exit(0);
    }

    static double[] time(int runs, Runnable body) {
        for (int i = 0; i < runs / 4; i++) body.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e3;
        }
        Arrays.sort(t);
        return new double[] {t[runs / 10], t[runs / 2]};
    }
}
