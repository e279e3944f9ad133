package dev.feint.train;

import dev.feint.autograd.Reductions;
import dev.feint.data.Augmentation;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.optim.Adam;
import dev.feint.optim.LrSchedule;
import dev.feint.optim.Optimizer;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The one training loop every recipe shares: seeded shuffled batches, the objective's loss,
 * backward, optimiser step with a per-step learning-rate schedule, and per-epoch figures;
 * optionally each batch augmented ({@link #augment}). Each step runs in one {@link Arena} scope, so
 * its activations reuse the previous step's arrays (the same bits as without).
 * Same seed and thread count give bit-identical weights.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final TrainingObjective objective;
    private TrainingListener listener = TrainingListener.NONE;
    private EpochHook epochHook = (epoch, net) -> Double.NaN;
    private EpochEnd epochEnd = (epoch, net, opt) -> { };
    private Augmentation augmentation = Augmentation.NONE;

    /** Runs after each epoch's figures are known (checkpoints). */
    @FunctionalInterface
    public interface EpochEnd {
        /**
         * Called after an epoch.
         *
         * @param epochsDone the epochs finished
         * @param net the network
         * @param opt its optimiser
         */
        void after(int epochsDone, Network net, Optimizer opt);
    }

    /** Measures something extra at the end of an epoch (e.g. adversarial accuracy on a held-out batch). */
    @FunctionalInterface
    public interface EpochHook {
        /**
         * Called after an epoch.
         *
         * @param epoch the epoch, from 0
         * @param net the network
         * @return the figure, reported as held-out adversarial accuracy (NaN: none)
         */
        double afterEpoch(int epoch, Network net);
    }

    /**
     * A trainer with no listener, hook or augmentation.
     *
     * @param cfg the optimisation settings
     * @param objective the loss to minimise
     */
    public Trainer(TrainConfig cfg, TrainingObjective objective) {
        this.cfg = cfg;
        this.objective = objective;
    }

    /**
     * Reports every batch and epoch to a listener.
     *
     * @param l the listener
     * @return this trainer
     */
    public Trainer listener(TrainingListener l) { this.listener = l; return this; }

    /**
     * Measures something extra after each epoch.
     *
     * @param h the hook
     * @return this trainer
     */
    public Trainer epochHook(EpochHook h) { this.epochHook = h; return this; }

    /**
     * Runs something after each epoch's figures are known (checkpoints).
     *
     * @param e the callback
     * @return this trainer
     */
    public Trainer onEpochEnd(EpochEnd e) { this.epochEnd = e; return this; }

    /**
     * Augments every training batch (random crop, flip), seeded by the config's seed, the epoch and each example's index.
     *
     * @param a the augmentation
     * @return this trainer
     */
    public Trainer augment(Augmentation a) { this.augmentation = a; return this; }

    /**
     * The optimiser the settings name, over the network's parameters.
     *
     * @param net the network
     * @return a new optimiser
     */
    public Optimizer optimizerFor(Network net) {
        List<Tensor> params = new ArrayList<>(net.body().namedParameters().values());
        return switch (cfg.optimizer()) {
            case "sgd" -> new Sgd(params, cfg.lr(), cfg.momentum(), cfg.momentum() > 0, cfg.weightDecay());
            case "adamw" -> Adam.adamW(params, cfg.lr(), cfg.weightDecay());
            default -> new Adam(params, cfg.lr(), 0.9f, 0.999f, 1e-8f, cfg.weightDecay(), false);
        };
    }

    /**
     * The learning-rate schedule the settings name.
     *
     * @param totalSteps the batches of the whole run
     * @return the schedule
     */
    public LrSchedule scheduleFor(long totalSteps) {
        return switch (cfg.schedule()) {
            case "step" -> LrSchedule.step(cfg.lr(), Math.max(1, totalSteps / 3), 0.1f);
            case "cosine" -> LrSchedule.cosine(cfg.lr(), totalSteps);
            case "onecycle" -> LrSchedule.oneCycle(cfg.lr(), totalSteps);
            default -> LrSchedule.constant(cfg.lr());
        };
    }

    /**
     * Trains from epoch 0; returns per-epoch figures.
     *
     * @param net the network
     * @param train the training data
     * @param heldOut the held-out data
     * @return one entry per epoch
     */
    public List<EpochStats> fit(Network net, Dataset train, Dataset heldOut) {
        return fit(net, train, heldOut, optimizerFor(net), 0);
    }

    /**
     * Trains epochs [startEpoch, epochs) with a given optimiser (used when resuming).
     *
     * @param net the network
     * @param train the training data
     * @param heldOut the held-out data
     * @param opt the optimiser
     * @param startEpoch the first epoch to train
     * @return one entry per epoch trained
     */
    public List<EpochStats> fit(Network net, Dataset train, Dataset heldOut, Optimizer opt, int startEpoch) {
        Batches batches = Batches.shuffled(train, cfg.batchSize(), cfg.seed()).prefetched();
        int perEpoch = batches.count();
        LrSchedule lr = scheduleFor((long) perEpoch * cfg.epochs());
        List<EpochStats> out = new ArrayList<>();
        for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
            net.train();
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0, seen = 0;
            int b = 0;
            for (Batch read : batches.epoch(epoch)) {
                Batch batch = augmentation.apply(read, cfg.seed(), epoch);
                Steps.set((long) epoch * perEpoch + b);
                opt.setLr(lr.at((long) epoch * perEpoch + b));
                // One Arena scope per step: the activations, intermediates' gradients and the
                // attack's passes (nested scopes) reuse the previous step's arrays. Nothing of the
                // scope outlives it: the parameters, their gradients and the optimiser's state are
                // allocated outside, and only the loss and the correct count leave it.
                try (var arena = Arena.open()) {
                    opt.recycleGrads();                  // the gradients' arrays are written again next step
                    Tensor loss = objective.loss(net, batch.x(), batch.y());
                    loss.backward();
                    opt.step();
                    lossSum += loss.item() * batch.size();
                    correct += trainCorrect(net, batch);
                }
                seen += batch.size();
                b++;
                double secs = (System.nanoTime() - t0) / 1e9;
                listener.onBatch(epoch, b, perEpoch, lossSum / seen, (double) correct / seen, seen / Math.max(1e-9, secs));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double held = heldOut == null ? Double.NaN : Accuracy.of(net, heldOut, 256);
            double adv = epochHook.afterEpoch(epoch, net);
            EpochStats s = new EpochStats(epoch + 1, lossSum / seen, (double) correct / seen, held, adv, secs,
                    seen / Math.max(1e-9, secs), opt.lr());
            out.add(s);
            listener.onEpoch(s);
            epochEnd.after(epoch + 1, net, opt);
        }
        net.eval();
        return out;
    }

    /**
     * Training accuracy is read from the objective's last forward only when cheap; otherwise we
     * skip it (returns 0) rather than pay a second forward per batch.
     */
    private long trainCorrect(Network net, Batch batch) {
        Tensor last = LastLogits.take();
        if (last == null || last.dim(0) != batch.size()) return 0;
        int[] p = Reductions.argmaxLast(last);
        long c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == batch.y()[i]) c++;
        return c;
    }
}
