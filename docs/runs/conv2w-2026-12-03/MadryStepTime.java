import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.*;

/** madry-cnn training step as SideBySide.FeintTrain: java ... MadryStepTime.java batch calls rounds threads */
public class MadryStepTime {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), threads = Integer.parseInt(a[3]);
        Parallel.setThreads(threads);
        Network net = Network.create(Presets.get("madry-cnn", 1, 28, 28, 10), 42).train();
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 10;
        Sgd opt = new Sgd(List.copyOf(net.body().namedParameters().values()), 0.01f, 0f, false, 0f);
        Tensor xt = Tensor.of(x, n, 1, 28, 28);
        Runnable step = () -> { try (var ar = Arena.open()) { net.body().zeroGrad(); Losses.crossEntropy(net.forward(xt), y).backward(); opt.step(); } };
        var mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) step.run();
        double[] cpu = new double[rounds], wall = new double[rounds];
        for (int k = 0; k < rounds; k++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) step.run();
            cpu[k] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
            wall[k] = (System.nanoTime() - t0) / 1e6 / calls;
        }
        double s = 0; int i = 0;
        for (var p : net.body().namedParameters().values()) { for (float v : p.data()) s += v * ((i++ % 7) + 1); }
        Arrays.sort(cpu); Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "madry train batch %d threads %d: wall %.2f ms (%.2f-%.2f) = %.0f img/s; caller cpu %.2f ms; checksum %s%n",
            n, threads, wall[rounds / 2], wall[0], wall[rounds - 1], n * 1000 / wall[rounds / 2], cpu[rounds / 2], Double.toString(s));
    }
}
