package dev.feint.train;

import dev.feint.attack.Misclassification;
import dev.feint.attack.gradient.Pgd;
import dev.feint.data.Dataset;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;

import java.util.function.Consumer;

/**
 * After each epoch: PGD-10 accuracy on a fixed held-out batch. Also watches for Fast-AT's
 * catastrophic overfitting (Wong et al. 2020): PGD accuracy collapsing within one epoch while
 * training goes on, and reports it through the warning sink.
 */
public final class HeldOutRobustness implements Trainer.EpochHook {
    private final Dataset batch;
    private final float eps;
    private final Consumer<String> warn;
    private double best = -1;

    /**
     * The hook on the first {@code size} examples of {@code heldOut}.
     *
     * @param heldOut the held-out data
     * @param size how many examples to attack
     * @param eps the Linf radius of the PGD
     * @param warn where catastrophic overfitting is reported
     */
    public HeldOutRobustness(Dataset heldOut, int size, float eps, Consumer<String> warn) {
        this.batch = heldOut.slice(0, Math.min(size, heldOut.size()));
        this.eps = eps;
        this.warn = warn;
    }

    @Override public double afterEpoch(int epoch, Network net) {
        boolean training = net.body().isTraining();
        net.eval();
        try {
            Pgd pgd = Pgd.builder().eps(eps).steps(10).seed(12345).build();
            var r = pgd.run(NetworkModel.asIs(net), batch.images(), new Misclassification(batch.labels()));
            int[] labels = batch.labels();
            int ok = 0;
            for (int i = 0; i < labels.length; i++) if (r.predictions()[i] == labels[i]) ok++;
            double acc = (double) ok / labels.length;
            if (best > 0.2 && acc < 0.5 * best)
                warn.accept(String.format("catastrophic overfitting at epoch %d: PGD-10 accuracy on the held-out batch fell from %.1f%% to %.1f%%",
                        epoch + 1, 100 * best, 100 * acc));
            best = Math.max(best, acc);
            return acc;
        } finally {
            if (training) net.train();
        }
    }
}
