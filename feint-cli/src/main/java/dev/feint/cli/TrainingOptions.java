package dev.feint.cli;

import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.train.StandardObjective;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;
import dev.feint.train.TrainingObjective;
import picocli.CommandLine.Option;

/** Optimisation flags of {@code feint train}; adversarial recipes plug in through {@code --adv}. */
public final class TrainingOptions {
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for init and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for Adam, 0.05 for SGD).")
    Float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum, Nesterov (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", description = "constant, step, cosine or onecycle (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--adv", defaultValue = "none", description = "Adversarial training recipe (default: ${DEFAULT-VALUE}).")
    String adv;

    TrainConfig config() {
        TrainConfig.Builder b = TrainConfig.builder().epochs(epochs).batchSize(batch).seed(seed).optimizer(optimizer)
                .momentum(momentum).weightDecay(weightDecay).schedule(schedule);
        if (lr != null) b.lr(lr);
        return b.build();
    }

    TrainingObjective objective(Network net) {
        if (adv.equals("none")) return new StandardObjective();
        throw new dev.feint.FeintException("--adv: unknown recipe '" + adv + "' (expected none)");
    }

    Trainer.EpochHook epochHook(Dataset heldOut) {
        return (epoch, net) -> Double.NaN;
    }
}
