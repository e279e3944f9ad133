package dev.feint.attack.blackbox;

import dev.feint.data.Dataset;
import dev.feint.model.Bounds;
import dev.feint.model.Model;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import dev.feint.train.StandardObjective;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;

import java.util.List;
import java.util.SplittableRandom;

/** Tiny seeded models for the black-box tests: a trained MLP on noisy 8x8 bars, and linear models. */
final class Fixtures {
    private Fixtures() {}

    /** Three classes of 8x8 images: a brighter 2x2 dot at one of three places, in noise; a few pixels decide. */
    static Dataset dots(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] at = {{1, 1}, {1, 5}, {5, 3}};
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int p = 0; p < 64; p++) x[i * 64 + p] = (float) (0.6 * r.nextDouble());
            float level = (float) (0.55 + 0.45 * r.nextDouble());
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++) x[i * 64 + (at[y[i]][0] + a) * 8 + at[y[i]][1] + b] = level;
        }
        return new Dataset("dots", Tensor.of(x, n, 1, 8, 8), y, 3, List.of("top-left", "top-right", "bottom"));
    }

    private static NetworkModel trained;

    /** An MLP trained for 3 epochs on 384 dots (seed 1), in eval mode; built once. */
    static synchronized NetworkModel mlp() {
        if (trained == null) {
            int old = Parallel.threads();
            Parallel.setThreads(1); // bit-identical weights whatever the machine
            try {
                Network net = Network.create(Presets.get("mlp", 1, 8, 8, 3), 1);
                TrainConfig cfg = TrainConfig.builder().epochs(3).batchSize(32).seed(1).lr(0.003f).build();
                new Trainer(cfg, new StandardObjective()).fit(net, dots(384, 1), null);
                trained = NetworkModel.of(net);
            } finally {
                Parallel.setThreads(old);
            }
        }
        return trained;
    }

    /** Only logits pass through: proves an attack needs nothing else (no gradients). */
    static Model blackBox(Model m) {
        return new Model() {
            @Override public Tensor logits(Tensor x) { return m.logits(x); }
            @Override public int numClasses() { return m.numClasses(); }
            @Override public Bounds bounds() { return m.bounds(); }
            @Override public int[] inputShape() { return m.inputShape(); }
        };
    }

    /** logits = W x + b with seeded Gaussian weights: affine in every pixel's channel values. */
    static Model linear(int c, int h, int w, int k, float scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = c * h * w;
        float[] wt = new float[k * d], bias = new float[k];
        for (int i = 0; i < wt.length; i++) wt[i] = (float) (scale * BlackBoxAttack.gaussian(r));
        return new Model() {
            @Override public Tensor logits(Tensor x) {
                int n = x.dim(0);
                float[] a = x.data(), z = new float[n * k];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < k; j++) {
                        double s = bias[j];
                        for (int q = 0; q < d; q++) s += (double) wt[j * d + q] * a[i * d + q];
                        z[i * k + j] = (float) s;
                    }
                return Tensor.of(z, n, k);
            }
            @Override public int numClasses() { return k; }
            @Override public Bounds bounds() { return Bounds.UNIT; }
            @Override public int[] inputShape() { return new int[] {c, h, w}; }
        };
    }

    static Tensor uniformImages(int n, int c, int h, int w, long seed) {
        return Tensor.uniform(new SplittableRandom(seed), 0f, 1f, n, c, h, w);
    }

    static int[] argmax(Model m, Tensor x) { return m.predict(x); }
}
