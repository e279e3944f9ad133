import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import java.util.*;

/** madry-cnn step, zeroGrad and recycleGrads alternating round by round in one process: java ... RecycleAB.java batch calls rounds threads */
public class RecycleAB {
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
        boolean[] recycle = {false};
        Runnable step = () -> { try (var ar = Arena.open()) { if (recycle[0]) net.body().recycleGrads(); else net.body().zeroGrad(); Losses.crossEntropy(net.forward(xt), y).backward(); opt.step(); } };
        for (int i = 0; i < 20; i++) { recycle[0] = i % 2 == 0; step.run(); }
        double[][] wall = new double[2][rounds];
        for (int k = 0; k < rounds; k++)
            for (int v = 0; v < 2; v++) {
                recycle[0] = v == 1;
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) step.run();
                wall[v][k] = (System.nanoTime() - t0) / 1e6 / calls;
            }
        for (int v = 0; v < 2; v++) {
            double[] w = wall[v]; Arrays.sort(w);
            System.out.printf(Locale.ROOT, "threads %d %-12s wall %.2f ms [%.2f-%.2f]%n", threads, v == 1 ? "recycleGrads" : "zeroGrad", w[rounds / 2], w[0], w[rounds - 1]);
        }
    }
}
