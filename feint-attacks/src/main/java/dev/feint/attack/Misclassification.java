package dev.feint.attack;

import dev.feint.model.LossFunction;

/** Untargeted: success when the prediction differs from the true label. */
public final class Misclassification implements Criterion {
    private final int[] labels, indices;

    public Misclassification(int[] labels) { this(labels, null); }

    /** With the dataset position of each row (null: 0..n-1), from which random streams are derived. */
    public Misclassification(int[] labels, int[] indices) {
        this.labels = labels.clone();
        this.indices = Criterion.indices(indices, labels.length);
    }

    @Override public int size() { return labels.length; }

    @Override public int[] labels() { return labels.clone(); }

    @Override public boolean targeted() { return false; }

    @Override public int[] classes() { return labels.clone(); }

    @Override public boolean isAdversarial(int i, int predicted) { return predicted != labels[i]; }

    @Override public LossFunction objective(Loss loss) { return loss.untargeted(labels); }

    @Override public int[] indices() { return indices.clone(); }

    @Override public Criterion withIndices(int[] idx) { return new Misclassification(labels, idx); }

    @Override public Criterion subset(int[] rows) {
        return new Misclassification(Criterion.gather(labels, rows), Criterion.gather(indices, rows));
    }
}
