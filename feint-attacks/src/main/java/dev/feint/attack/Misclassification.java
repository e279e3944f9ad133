package dev.feint.attack;

import dev.feint.model.LossFunction;

/** Untargeted: success when the prediction differs from the true label. */
public final class Misclassification implements Criterion {
    private final int[] labels;

    public Misclassification(int[] labels) { this.labels = labels.clone(); }

    @Override public int size() { return labels.length; }

    @Override public int[] labels() { return labels.clone(); }

    @Override public boolean targeted() { return false; }

    @Override public int[] classes() { return labels.clone(); }

    @Override public boolean isAdversarial(int i, int predicted) { return predicted != labels[i]; }

    @Override public LossFunction objective(AttackLoss loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> LossFunction.crossEntropy(labels);
            case MARGIN -> LossFunction.margin(labels);
        };
    }

    @Override public Criterion subset(int[] rows) { return new Misclassification(Criterion.gather(labels, rows)); }
}
