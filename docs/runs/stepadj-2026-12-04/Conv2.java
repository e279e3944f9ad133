import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Reductions;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import java.util.*;

/**
 * madry-cnn's conv2 (32 -> 64 on 14x14, 5x5, pad 2, ReLU, 2x2 pool) at batch 128, recorded: the fused forward alone, and
 * forward + backward (the input, weight and bias gradients), a random output gradient through a mul.
 * java ... Conv2.java calls rounds threads [nobias: the bias needs no gradient]
 */
public class Conv2 {
    public static void main(String[] a) {
        int calls = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]), n = 128;
        Parallel.setThreads(threads);
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n * 32 * 196], w = new float[64 * 32 * 25], b = new float[64], m = new float[n * 64 * 49];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - 0.5) * 0.05f;
        for (int i = 0; i < m.length; i++) m[i] = (float) r.nextGaussian();
        Tensor xt = Tensor.of(x, n, 32, 14, 14).requiresGrad(true), wt = Tensor.of(w, 64, 32, 5, 5).requiresGrad(true), bt = Tensor.of(b, 64).requiresGrad(a.length < 4 || !a[3].equals("nobias"));
        Tensor mt = Tensor.of(m, n, 64, 7, 7);
        Runnable fwd = () -> { try (var ar = Arena.open()) { Convolutions.conv2dReluPool(xt, wt, bt, 1, 2, 1, 2); } };
        Runnable mulOnly = () -> { try (var ar = Arena.open()) { Reductions.sumAll(Elementwise.mul(Convolutions.conv2dReluPool(xt, wt, bt, 1, 2, 1, 2), mt)); } };
        Runnable both = () -> { try (var ar = Arena.open()) { xt.recycleGrad(); wt.recycleGrad(); if (bt.requiresGrad()) bt.recycleGrad();
            Reductions.sumAll(Elementwise.mul(Convolutions.conv2dReluPool(xt, wt, bt, 1, 2, 1, 2), mt)).backward(); } };
        Runnable[] runs = {fwd, mulOnly, both};
        String[] names = {"fwd", "fwd+mul", "fwd+mul+backward"};
        for (int i = 0; i < 50; i++) for (Runnable q : runs) q.run();
        double[][] t = new double[3][rounds];
        for (int k = 0; k < rounds; k++)
            for (int j = 0; j < 3; j++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) runs[j].run();
                t[j][k] = (System.nanoTime() - t0) / 1e6 / calls;
            }
        for (int j = 0; j < 3; j++) {
            Arrays.sort(t[j]);
            System.out.printf(Locale.ROOT, "conv2 %s threads %d: %.3f ms [%.3f-%.3f]%n", names[j], threads, t[j][rounds / 2], t[j][0], t[j][rounds - 1]);
        }
        double s = 0; for (int i = 0; i < 51200; i++) s += wt.grad()[i] * (i % 7 + 1);
        System.out.println("dW checksum " + s);
    }
}
