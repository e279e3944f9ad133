package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.LossFunction;

/** Targeted: success when the prediction is the example's target class. */
public final class TargetedMisclassification implements Criterion {
    private final int[] targets, labels;

    public TargetedMisclassification(int[] targets) { this(targets, null); }

    /** With the true labels, which are kept for reports and must differ from the targets. */
    public TargetedMisclassification(int[] targets, int[] labels) {
        if (labels != null && labels.length != targets.length)
            throw new IllegalArgumentException(targets.length + " targets for " + labels.length + " labels");
        for (int i = 0; labels != null && i < targets.length; i++)
            if (targets[i] == labels[i])
                throw new FeintException("target class " + targets[i] + " equals the true label of example " + i
                        + " (a targeted attack needs a different class)");
        for (int i = 0; i < targets.length; i++)
            if (targets[i] < 0) throw new FeintException("target class " + targets[i] + " of example " + i + " is negative");
        this.targets = targets.clone();
        this.labels = labels == null ? null : labels.clone();
    }

    public int[] targets() { return targets.clone(); }

    @Override public int size() { return targets.length; }

    @Override public int[] labels() { return labels == null ? null : labels.clone(); }

    @Override public boolean targeted() { return true; }

    @Override public int[] classes() { return targets.clone(); }

    @Override public boolean isAdversarial(int i, int predicted) { return predicted == targets[i]; }

    @Override public LossFunction objective(AttackLoss loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> LossFunction.crossEntropy(targets).negate();
            case MARGIN -> LossFunction.margin(targets).negate();
        };
    }

    @Override public Criterion subset(int[] rows) {
        return new TargetedMisclassification(Criterion.gather(targets, rows), Criterion.gather(labels, rows));
    }
}
