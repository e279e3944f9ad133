package dev.feint.cli;

import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.train.HeldOutRobustness;
import dev.feint.train.Recipes;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;
import dev.feint.train.TrainingObjective;
import picocli.CommandLine.Option;

/** Optimisation flags of {@code feint train}; adversarial recipes plug in through {@code --adv}. */
final class TrainingOptions {
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

    @Option(names = "--adv", defaultValue = "none",
            description = "Recipe: none, fgsm (Goodfellow's mixed objective), pgd, fast, trades, advprop, invfgsm (default: ${DEFAULT-VALUE}).")
    String adv;

    @Option(names = "--eps", description = "Linf radius of the training attack (default 0.1).")
    Float eps;

    @Option(names = "--alpha", description = "Weight of the clean loss in fgsm (default 0.5).")
    Float alpha;

    @Option(names = "--steps", description = "Attack steps (pgd 7, advprop 5, trades 10).")
    Integer steps;

    @Option(names = "--step-size", description = "Attack step size (pgd/advprop 2.5*eps/steps, fast 1.25*eps, trades eps/4).")
    Float stepSize;

    @Option(names = "--beta", description = "TRADES weight of the KL term (default 6).")
    Float beta;

    @Option(names = "--held-out-adv", defaultValue = "512",
            description = "Held-out images for the per-epoch PGD-10 accuracy of adversarial recipes, 0 for none (default: ${DEFAULT-VALUE}).")
    int heldOutAdv;

    @Option(names = "--augment", defaultValue = "none", description = "Training augmentation: none, or cropN (random crop after N "
            + "pixels of zero padding) and/or flip (horizontal, p 1/2), e.g. crop4,flip for CIFAR (default: ${DEFAULT-VALUE}).")
    String augment;

    dev.feint.data.Augmentation augmentation() {
        try {
            return dev.feint.data.Augmentation.parse(augment);
        } catch (dev.feint.FeintException e) {
            throw new dev.feint.FeintException("--augment: " + e.getMessage());
        }
    }

    TrainConfig config() {
        TrainConfig.Builder b = TrainConfig.builder().epochs(epochs).batchSize(batch).seed(seed).optimizer(optimizer)
                .momentum(momentum).weightDecay(weightDecay).schedule(schedule);
        if (lr != null) b.lr(lr);
        return b.build();
    }

    TrainingObjective objective(Network net) {
        return Recipes.create(adv, net, new Recipes.Options(eps, alpha, steps, stepSize, beta, seed));
    }

    Trainer.EpochHook epochHook(Dataset heldOut) {
        if (heldOutAdv < 0) throw new dev.feint.FeintException("--held-out-adv must be >= 0, got " + heldOutAdv);
        if (adv.equals("none") || heldOutAdv <= 0) return (epoch, net) -> Double.NaN;
        return new HeldOutRobustness(heldOut, heldOutAdv, eps != null ? eps : 0.1f, msg -> System.out.println("warning: " + msg));
    }
}
