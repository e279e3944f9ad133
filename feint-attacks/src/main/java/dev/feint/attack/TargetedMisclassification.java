package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.LossFunction;

/** Targeted: success when the prediction is the example's target class. */
public final class TargetedMisclassification implements Criterion {
    private final int[] targets, labels, indices;

    /**
     * Success when each example is classified as its target; no labels.
     *
     * @param targets the target class of each row
     */
    public TargetedMisclassification(int[] targets) { this(targets, null); }

    /**
     * With the true labels, which are kept for reports (and the targeted DLR loss) and must differ from the targets.
     *
     * @param targets the target class of each row
     * @param labels the true labels
     */
    public TargetedMisclassification(int[] targets, int[] labels) { this(targets, labels, null); }

    /**
     * With the dataset position of each row (null: 0..n-1), from which random streams are derived.
     *
     * @param targets the target class of each row
     * @param labels the true labels, or null
     * @param indices the dataset position of each row
     */
    public TargetedMisclassification(int[] targets, int[] labels, int[] indices) {
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
        this.indices = Criterion.indices(indices, targets.length);
    }

    /** {@return the target class of each row (a copy)} */
    public int[] targets() { return targets.clone(); }

    @Override public int size() { return targets.length; }

    @Override public int[] labels() { return labels == null ? null : labels.clone(); }

    @Override public boolean targeted() { return true; }

    @Override public int[] classes() { return targets.clone(); }

    @Override public boolean isAdversarial(int i, int predicted) { return predicted == targets[i]; }

    @Override public LossFunction objective(Loss loss) { return loss.targeted(targets, labels); }

    @Override public int[] indices() { return indices.clone(); }

    @Override public Criterion withIndices(int[] idx) { return new TargetedMisclassification(targets, labels, idx); }

    @Override public Criterion subset(int[] rows) {
        return new TargetedMisclassification(Criterion.gather(targets, rows), Criterion.gather(labels, rows),
                Criterion.gather(indices, rows));
    }
}
