package dev.feint.train;

import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.LrSchedule;
import dev.feint.optim.Optimizer;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The training loop's Arena scope per step (issue 19): the weights, running statistics and
 * per-epoch figures are the bits of the same steps run without any scope, for recipes whose
 * attack runs nested scopes (PGD, TRADES, AdvProp with its auxiliary BatchNorms) and plain training.
 */
class TrainerArenaTest {
    private static final Dataset TRAIN = TrainerTest.blobs(64, 7);
    private static final TrainConfig CFG = TrainConfig.builder().epochs(2).batchSize(16).seed(11).lr(0.02f)
            .optimizer("sgd").momentum(0.9f).build();

    private static Recipes.Options options() { return new Recipes.Options(0.05f, null, 2, null, null, 11); }

    /** Trainer.fit's steps, outside any Arena scope (the attacks' model calls still open their own). */
    private static double[] reference(Network net, TrainingObjective objective) {
        Trainer trainer = new Trainer(CFG, objective);
        Optimizer opt = trainer.optimizerFor(net);
        Batches batches = Batches.shuffled(TRAIN, CFG.batchSize(), CFG.seed()).prefetched();
        int perEpoch = batches.count();
        LrSchedule lr = trainer.scheduleFor((long) perEpoch * CFG.epochs());
        double[] losses = new double[CFG.epochs()];
        for (int epoch = 0; epoch < CFG.epochs(); epoch++) {
            net.train();
            double sum = 0;
            int b = 0, seen = 0;
            for (Batch batch : batches.epoch(epoch)) {
                Steps.set((long) epoch * perEpoch + b);
                opt.setLr(lr.at((long) epoch * perEpoch + b));
                opt.zeroGrad();
                Tensor loss = objective.loss(net, batch.x(), batch.y());
                loss.backward();
                opt.step();
                sum += loss.item() * batch.size();
                LastLogits.take();
                seen += batch.size();
                b++;
            }
            losses[epoch] = sum / seen;
        }
        net.eval();
        return losses;
    }

    private static Map<String, float[]> state(Network net) {
        var m = new java.util.LinkedHashMap<String, float[]>();
        net.body().namedParameters().forEach((k, v) -> m.put(k, v.data().clone()));
        net.body().namedBuffers().forEach((k, v) -> m.put("buffer " + k, v.clone()));
        return m;
    }

    private static void check(String arch, String recipe) {
        Network want = Network.create(Presets.get(arch, 1, 12, 12, 2), 3);
        double[] wantLoss = reference(want, Recipes.create(recipe, want, options()));
        Network got = Network.create(Presets.get(arch, 1, 12, 12, 2), 3);
        List<EpochStats> stats = new Trainer(CFG, Recipes.create(recipe, got, options())).fit(got, TRAIN, null);
        assertFalse(Arena.active(), "no scope left open");
        String what = arch + " " + recipe;
        for (int e = 0; e < wantLoss.length; e++) assertEquals(wantLoss[e], stats.get(e).trainLoss(), 0.0, what + ": epoch " + e + "'s loss");
        Map<String, float[]> w = state(want), g = state(got);
        assertEquals(w.keySet(), g.keySet());
        for (String k : w.keySet()) assertArrayEquals(w.get(k), g.get(k), what + ": " + k);
    }

    @Test
    void stepsInAnArenaGiveTheBitsOfStepsWithout() {
        List<String[]> runs = new ArrayList<>(List.of(
                new String[] {"madry-cnn", "pgd"}, new String[] {"cnn-bn", "none"},
                new String[] {"cnn-bn", "advprop"}, new String[] {"resnet-mini", "trades"}));
        for (String[] r : runs) check(r[0], r[1]);
    }
}
