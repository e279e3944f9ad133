package dev.feint.attack;

import dev.feint.model.LossFunction;

/** Untargeted: success when the prediction differs from the true label. */
public final class Misclassification implements Criterion {
    private final int[] labels, indices;

    /**
     * Success when the prediction is not the label.
     *
     * @param labels the true class of each example (copied)
     */
    public Misclassification(int[] labels) { this(labels, null); }

    /**
     * With the dataset position of each row, from which random streams are derived.
     *
     * @param labels the true class of each example (copied)
     * @param indices each row's position in the dataset, or null for 0..n-1
     */
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
