package dev.feint.testing;

import dev.feint.loss.Losses;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.optim.Adam;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded 3-class problem of 1x4x4 "images" (Gaussian blobs around random centres, clipped to
 * [0, 1]) and a 16-16-3 MLP trained on it in well under a second. Built once per JVM.
 */
public final class TinyProblem {
    public static final int CLASSES = 3, C = 1, H = 4, W = 4, D = C * H * W;
    private static TinyProblem instance;

    public final Network network;
    public final NetworkModel model;
    public final Tensor trainX, testX;
    public final int[] trainY, testY;

    private TinyProblem() {
        SplittableRandom rng = new SplittableRandom(42);
        float[][] centres = new float[CLASSES][D];
        for (float[] c : centres) for (int i = 0; i < D; i++) c[i] = 0.25f + 0.5f * (float) rng.nextDouble();
        trainY = labels(300, rng);
        trainX = images(trainY, centres, rng);
        testY = labels(60, rng);
        testX = images(testY, centres, rng);
        Architecture arch = new Architecture("tiny", new int[] {C, H, W}, CLASSES, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", D, "out", 16), LayerSpec.of("relu"), LayerSpec.of("linear", "in", 16, "out", CLASSES)));
        network = Network.create(arch, 7);
        network.train();
        Adam opt = Adam.adam(List.copyOf(network.body().namedParameters().values()), 0.02f);
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Losses.crossEntropy(network.forward(trainX), trainY).backward();
            opt.step();
        }
        model = NetworkModel.of(network);
    }

    public static synchronized TinyProblem get() {
        if (instance == null) instance = new TinyProblem();
        return instance;
    }

    private static int[] labels(int n, SplittableRandom rng) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(CLASSES);
        return y;
    }

    private static Tensor images(int[] y, float[][] centres, SplittableRandom rng) {
        float[] x = new float[y.length * D];
        for (int i = 0; i < y.length; i++)
            for (int j = 0; j < D; j++) {
                double v = centres[y[i]][j] + 0.15 * gaussian(rng);
                x[i * D + j] = (float) Math.max(0, Math.min(1, v));
            }
        return Tensor.of(x, y.length, C, H, W);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    public static double accuracy(int[] pred, int[] labels) {
        int c = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) c++;
        return (double) c / pred.length;
    }
}
