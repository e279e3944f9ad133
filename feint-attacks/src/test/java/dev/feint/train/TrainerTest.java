package dev.feint.train;

import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    /** Two classes of 8x8 images: a bright blob on the left or on the right, plus noise. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int p = 0; p < 64; p++) {
                int col = p % 8;
                boolean on = y[i] == 0 ? col < 3 : col > 4;
                x[i * 64 + p] = (float) Math.min(1, Math.max(0, (on ? 0.7 : 0.2) + 0.25 * (r.nextDouble() - 0.5)));
            }
        }
        return new Dataset("blobs", Tensor.of(x, n, 1, 8, 8), y, 2, List.of("left", "right"));
    }

    private static Network train(String arch, int threads, long seed) {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Network net = Network.create(Presets.get(arch, 1, 8, 8, 2), seed);
            TrainConfig cfg = TrainConfig.builder().epochs(3).batchSize(16).seed(seed).lr(0.01f).build();
            List<EpochStats> stats = new Trainer(cfg, new StandardObjective()).fit(net, blobs(128, 1), blobs(64, 2));
            assertTrue(stats.get(2).trainLoss() < stats.get(0).trainLoss() * 0.8,
                    "loss did not go down: " + stats.get(0).trainLoss() + " -> " + stats.get(2).trainLoss());
            assertTrue(stats.get(2).heldOutAccuracy() > 0.9, "held-out accuracy " + stats.get(2).heldOutAccuracy());
            return net;
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void trainingDrivesLossDownAndLearns() {
        train("mlp", 2, 3);
        train("lenet", 2, 3);
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        for (int threads : new int[] {1, 2}) {
            Network a = train("lenet", threads, 5), b = train("lenet", threads, 5);
            for (var e : a.body().namedParameters().entrySet())
                assertArrayEquals(e.getValue().data(), b.body().namedParameters().get(e.getKey()).data(), e.getKey());
        }
        Network c = train("lenet", 2, 6), d = train("lenet", 2, 5);
        assertFalse(java.util.Arrays.equals(c.body().namedParameters().get("0.weight").data(),
                d.body().namedParameters().get("0.weight").data()));
    }
}
