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
 * The madry-cnn step's split calls one by one (needs the scratch build of trace-not-merged.patch: 8 trace fields, the
 * caller's and the worker's last chunk ends): per call index of the step, the median over the steps of its wall time,
 * the caller's wait for the worker after its own chunks, and the worker's idle before the caller finished.
 * java -Dfeint.parallel.trace=true ... CallTrace.java steps threads
 */
public class CallTrace {
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
        List<long[][]> all = new ArrayList<>();
        for (int k = 0; k < steps; k++) { ParallelTrace.drain(); step.run(); all.add(ParallelTrace.drain()); }
        int calls = all.get(0).length;
        double sw = 0, sc = 0, si = 0;
        for (int c = 0; c < calls; c++) {
            double[] wall = new double[steps], cw = new double[steps], wi = new double[steps];
            int chunks = 0, mine = 0;
            for (int k = 0; k < steps; k++) {
                long[] e = all.get(k).length == calls ? all.get(k)[c] : null;
                if (e == null) continue;
                chunks = (int) e[3]; mine = (int) e[4];
                wall[k] = (e[2] - e[1]) / 1e3;
                cw[k] = e[6] == 0 ? 0 : (e[2] - e[6]) / 1e3;
                wi[k] = e[7] == 0 || e[6] == 0 ? 0 : Math.max(0, e[6] - e[7]) / 1e3;
            }
            Arrays.sort(wall); Arrays.sort(cw); Arrays.sort(wi);
            sw += wall[steps / 2]; sc += cw[steps / 2]; si += wi[steps / 2];
            System.out.printf(Locale.ROOT, "call %2d: %3d chunks (caller %3d): %8.1f us, caller waits %7.1f us, worker idles %7.1f us%n",
                    c, chunks, mine, wall[steps / 2], cw[steps / 2], wi[steps / 2]);
        }
        System.out.printf(Locale.ROOT, "sum of the medians: %.2f ms in calls, caller waiting %.2f ms, worker idle at the end %.2f ms%n", sw / 1e3, sc / 1e3, si / 1e3);
    }
}
