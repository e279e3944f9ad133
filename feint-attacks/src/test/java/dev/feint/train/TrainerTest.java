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
    /** Two classes of 12x12 images: a bright blob on the left or on the right, plus noise. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 144];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int p = 0; p < 144; p++) {
                int col = p % 12;
                boolean on = y[i] == 0 ? col < 4 : col > 7;
                x[i * 144 + p] = (float) Math.min(1, Math.max(0, (on ? 0.7 : 0.2) + 0.25 * (r.nextDouble() - 0.5)));
            }
        }
        return new Dataset("blobs", Tensor.of(x, n, 1, 12, 12), y, 2, List.of("left", "right"));
    }

    private static Network train(String arch, int threads, long seed) {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Network net = Network.create(Presets.get(arch, 1, 12, 12, 2), seed);
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
    void augmentedTrainingIsSeededLearnsAndDiffersFromPlainTraining() {
        TrainConfig cfg = TrainConfig.builder().epochs(3).batchSize(16).seed(5).lr(0.01f).build();
        float[][] w = new float[3][];
        for (int run = 0; run < 3; run++) {
            Network net = Network.create(Presets.get("lenet", 1, 12, 12, 2), 5);
            var aug = run < 2 ? dev.feint.data.Augmentation.parse("crop2") : dev.feint.data.Augmentation.NONE; // no flip: the classes are left and right
            List<EpochStats> stats = new Trainer(cfg, new StandardObjective()).augment(aug).fit(net, blobs(128, 1), blobs(64, 2));
            if (run == 0) assertTrue(stats.get(2).heldOutAccuracy() > 0.8, "held-out accuracy " + stats.get(2).heldOutAccuracy());
            w[run] = net.body().namedParameters().values().iterator().next().data().clone();
        }
        assertArrayEquals(w[0], w[1], "same seed, same augmented weights");
        assertFalse(java.util.Arrays.equals(w[0], w[2]), "the augmentation reached the batches");
    }

    @Test
    void trainingDrivesLossDownAndLearns() {
        train("mlp", 2, 3);
        train("lenet", 2, 3);
    }

    @Test
    void resumeFromCheckpointGivesTheSameWeightsAsAnUninterruptedRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var arch = new dev.feint.nn.Architecture("drop", new int[] {1, 12, 12}, 2, List.of(dev.feint.nn.LayerSpec.of("flatten"),
                dev.feint.nn.LayerSpec.of("linear", "in", 144, "out", 16), dev.feint.nn.LayerSpec.of("relu"),
                dev.feint.nn.LayerSpec.of("dropout", "p", 0.3), dev.feint.nn.LayerSpec.of("batchnorm1d", "channels", 16),
                dev.feint.nn.LayerSpec.of("linear", "in", 16, "out", 2)));
        TrainConfig cfg = TrainConfig.builder().epochs(3).batchSize(16).seed(4).lr(0.01f).build();
        Network full = Network.create(arch, 4);
        new Trainer(cfg, new StandardObjective()).fit(full, blobs(96, 1), null);

        java.nio.file.Path ckpt = dir.resolve("run.ckpt.safetensors");
        Network killed = Network.create(arch, 4);
        Trainer t1 = new Trainer(cfg, new StandardObjective()).onEpochEnd((done, n, o) -> {
            Checkpoint.save(ckpt, n, o, done, "fp");
            if (done == 1) throw new IllegalStateException("killed");
        });
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t1.fit(killed, blobs(96, 1), null));

        Network resumed = Network.create(arch, 4); // as a fresh process would
        Trainer t2 = new Trainer(cfg, new StandardObjective());
        var opt = t2.optimizerFor(resumed);
        int start = Checkpoint.restore(ckpt, resumed, opt, "fp");
        org.junit.jupiter.api.Assertions.assertEquals(1, start);
        t2.fit(resumed, blobs(96, 1), null, opt, start);
        for (var e : full.body().namedParameters().entrySet())
            assertArrayEquals(e.getValue().data(), resumed.body().namedParameters().get(e.getKey()).data(), e.getKey());
        for (var e : full.body().namedBuffers().entrySet())
            assertArrayEquals(e.getValue(), resumed.body().namedBuffers().get(e.getKey()), e.getKey());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(dev.feint.FeintException.class,
                () -> Checkpoint.restore(ckpt, Network.create(arch, 4), t2.optimizerFor(Network.create(arch, 4)), "other"));
        assertTrue(bad.getMessage().contains("different run"), bad.getMessage());
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

    @Test
    void oneOrTwoThreadsGiveBitIdenticalWeights() {
        // Two steps of LeNet (convolutions, pooling, linear layers) from the same seed.
        Network[] nets = new Network[2];
        for (int t = 1; t <= 2; t++) {
            int old = Parallel.threads();
            Parallel.setThreads(t);
            try {
                nets[t - 1] = Network.create(Presets.get("lenet", 1, 12, 12, 2), 7);
                TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(16).seed(7).lr(0.05f).build();
                new Trainer(cfg, new StandardObjective()).fit(nets[t - 1], blobs(32, 1), null);
            } finally {
                Parallel.setThreads(old);
            }
        }
        for (var e : nets[0].body().namedParameters().entrySet())
            assertArrayEquals(e.getValue().data(), nets[1].body().namedParameters().get(e.getKey()).data(), e.getKey() + ": threads 1 vs 2");
        assertFalse(java.util.Arrays.equals(nets[0].body().namedParameters().get("0.weight").data(),
                Network.create(Presets.get("lenet", 1, 12, 12, 2), 7).body().namedParameters().get("0.weight").data()), "training moved the weights");
    }
}
