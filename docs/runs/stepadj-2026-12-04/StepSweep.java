import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import java.lang.reflect.Field;
import java.util.*;

/**
 * The madry-cnn training step (as ../train-2026-12-03/MadryStepTimeRecycle.java) with a static int field of a
 * kernel class set to each of several values in turn, in one JVM, rounds interleaved:
 * java ... StepSweep.java CLASS FIELD calls rounds threads V1 V2 ...  (the weights keep training across values:
 * a value that changes no bits leaves the trajectory as one value alone would).
 */
public class StepSweep {
    public static void main(String[] a) throws Exception {
        Field f = Class.forName(a[0]).getDeclaredField(a[1]);
        f.setAccessible(true);
        int calls = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]), threads = Integer.parseInt(a[4]), n = 128;
        int[] vals = Arrays.stream(a, 5, a.length).mapToInt(Integer::parseInt).toArray();
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
        for (int v : vals) { f.setInt(null, v); for (int i = 0; i < 10; i++) step.run(); }
        double[][] wall = new double[vals.length][rounds];
        for (int k = 0; k < rounds; k++)
            for (int j = 0; j < vals.length; j++) {
                int jj = (k % 2 == 0) ? j : vals.length - 1 - j;       // order alternating round by round
                f.setInt(null, vals[jj]);
                step.run();
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) step.run();
                wall[jj][k] = (System.nanoTime() - t0) / 1e6 / calls;
            }
        for (int j = 0; j < vals.length; j++) {
            double[] w = wall[j].clone(); Arrays.sort(w);
            System.out.printf(Locale.ROOT, "%s=%d threads %d: step %.2f ms [%.2f-%.2f] (median of %d rounds of %d)%n",
                a[1], vals[j], threads, w[rounds / 2], w[0], w[rounds - 1], rounds, calls);
        }
    }
}
