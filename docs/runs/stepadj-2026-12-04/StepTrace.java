import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.ParallelTrace;
import dev.feint.tensor.Tensor;
import java.util.*;

/**
 * The madry-cnn training step (as ../train-2026-12-03/MadryStepTimeRecycle.java) with Parallel's trace on
 * (-Dfeint.parallel.trace=true): per step, the forRange calls, how they ran, the time inside split calls and outside
 * any call (the caller alone), the workers' start delay, and the steps' wall times.
 * java -Dfeint.parallel.trace=true ... StepTrace.java steps threads
 */
public class StepTrace {
    public static void main(String[] a) {
        int steps = Integer.parseInt(a[0]), threads = Integer.parseInt(a[1]), n = 128;
        Parallel.setThreads(threads);
        Network net = Network.create(Presets.get("madry-cnn", 1, 28, 28, 10), 42).train();
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 10;
        Sgd opt = new Sgd(List.copyOf(net.body().namedParameters().values()), 0.01f, 0f, false, 0f);
        Tensor xt = Tensor.of(x, n, 1, 28, 28);
        Runnable step = () -> { try (var ar = Arena.open()) { net.body().recycleGrads(); Losses.crossEntropy(net.forward(xt), y).backward(); opt.step(); } };
        for (int i = 0; i < 60; i++) step.run();
        double[] wall = new double[steps], inside = new double[steps], outside = new double[steps], delay = new double[steps];
        int[] calls = new int[steps], split = new int[steps], alone = new int[steps];
        for (int k = 0; k < steps; k++) {
            ParallelTrace.drain();
            long t0 = System.nanoTime();
            step.run();
            long t1 = System.nanoTime();
            long[][] ev = ParallelTrace.drain();
            long in = 0, d = 0, covered = 0, last = t0; int nd = 0;
            for (long[] e : ev) {
                calls[k]++;
                if (e[0] == ParallelTrace.SPLIT) { split[k]++; in += e[2] - e[1]; if (e[5] > 0) { d += e[5] - e[1]; nd++; } }
                else alone[k]++;
                long s = Math.max(e[1], last), f = Math.max(e[2], last);   // nested calls run alone inside a split one
                covered += f - s; last = f;
            }
            wall[k] = (t1 - t0) / 1e6; inside[k] = in / 1e6; outside[k] = (t1 - t0 - covered) / 1e6; delay[k] = nd == 0 ? 0 : d / 1e3 / nd;
        }
        Integer[] idx = new Integer[steps];
        for (int i = 0; i < steps; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> wall[i]));
        int m = idx[steps / 2];
        System.out.printf(Locale.ROOT, "threads %d, median step of %d: wall %.2f ms, %d forRange calls (%d split, %d alone), inside split calls %.2f ms, outside any call %.2f ms, mean worker start %.1f us%n",
                threads, steps, wall[m], calls[m], split[m], alone[m], inside[m], outside[m], delay[m]);
        double[] o = outside.clone(), dl = delay.clone(); Arrays.sort(o); Arrays.sort(dl);
        System.out.printf(Locale.ROOT, "  over the steps: outside any call median %.2f ms [%.2f-%.2f]; worker start median %.1f us [%.1f-%.1f]%n",
                o[steps / 2], o[0], o[steps - 1], dl[steps / 2], dl[0], dl[steps - 1]);
    }
}
