package dev.feint.bench;

import dev.feint.autograd.Grad;
import dev.feint.loss.Losses;
import dev.feint.nn.Module;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Per-layer forward times of a preset network (each layer timed on its own under noGrad and in a
 * {@link FrozenWeights} scope, as an attack runs; median of the runs), plus the whole forward and
 * a forward+backward to the input. Says where a forward pass spends its time; not a comparison
 * with peers (that is {@link SideBySide}).
 *
 * <p>Usage: {@code ForwardProfile [arch] [batch] [threads] [runs]}, defaults madry-cnn 128 2 30.
 */
public final class ForwardProfile {
    private ForwardProfile() {}

    /**
     * Prints where a forward pass spends its time.
     *
     * @param args optional: architecture, batch, threads and runs (defaults madry-cnn 128 2 30)
     */
    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : "madry-cnn";
        int batch = positive(args, 1, "batch", 128), threads = positive(args, 2, "threads", 2);
        int runs = positive(args, 3, "runs", 30);
        Parallel.setThreads(threads);
        Network net;
        try {
            net = Network.create(Presets.get(arch, 1, 28, 28, 10), 42).eval();
        } catch (dev.feint.FeintException e) {
            System.err.println("ForwardProfile: " + e.getMessage());
            System.exit(2);
            return;
        }
        float[] xs = new float[batch * 784];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextDouble();
        Tensor x = new Tensor(Shape.of(batch, 1, 28, 28), xs);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(10);

        List<Module> layers = net.chain().layers();
        double total = 0;
        System.out.printf(Locale.ROOT, "%s, batch %d, %d thread(s), median of %d runs (ms)%n", arch, batch, threads, runs);
        // As an attack runs: weights frozen (packed once); a few whole passes first, so the
        // first layer's figure is not taken before the JIT has compiled the kernels.
        try (var ng = Grad.noGrad(); var frozen = FrozenWeights.open()) {
            for (int i = 0; i < 20; i++) net.forward(x);
            Tensor h = x;
            for (int i = 0; i < layers.size(); i += net.chain().span(i)) {
                int at = i, span = net.chain().span(i);
                Tensor in = h;
                String name = span == 1 ? layers.get(i).getClass().getSimpleName() : span == 3 ? "Conv+ReLU+Pool" : layers.get(i).getClass().getSimpleName() + "+ReLU";
                double ms = median(runs, () -> net.chain().forwardSpan(at, in));
                h = net.chain().forwardSpan(at, in);
                total += ms;
                System.out.printf(Locale.ROOT, "  %2d %-15s %-18s %8.2f%n", i, name, h.shape(), ms);
            }
            System.out.printf(Locale.ROOT, "  sum of layers %.2f ms%n", total);
            double whole = median(runs, () -> net.forward(x));
            System.out.printf(Locale.ROOT, "  whole forward %.2f ms = %.0f images/s%n", whole, batch * 1000 / whole);
        }
        double fb;
        try (var frozen = FrozenWeights.open()) {
            fb = median(runs, () -> {
                Tensor xi = new Tensor(x.shape(), x.data().clone()).requiresGrad(true);
                Losses.crossEntropy(net.forward(xi), labels).backward();
            });
        }
        System.out.printf(Locale.ROOT, "  forward+backward to input %.2f ms = %.0f images/s%n", fb, batch * 1000 / fb);
    }

    private static int positive(String[] args, int i, String name, int fallback) {
        if (args.length <= i) return fallback;
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("ForwardProfile: " + name + " must be an integer >= 1, got '" + args[i]
                + "' (usage: ForwardProfile [arch] [batch] [threads] [runs])");
        System.exit(2);
        return fallback;
    }

    private static double median(int runs, Runnable body) {
        for (int i = 0; i < Math.max(5, runs / 3); i++) body.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[runs / 2];
    }
}
