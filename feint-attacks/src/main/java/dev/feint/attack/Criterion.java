package dev.feint.attack;

import dev.feint.model.LossFunction;

/**
 * What counts as a successful adversarial example, and therefore which way gradients point.
 * The criterion, not a string flag, decides: {@link #objective} is always a quantity attacks
 * <em>increase</em> (the label's loss when untargeted, minus the target's loss when targeted).
 */
public sealed interface Criterion permits Misclassification, TargetedMisclassification {
    int size();

    /** The true labels (null for a targeted criterion built without them). */
    int[] labels();

    boolean targeted();

    /** The class the attack moves away from (label) or toward (target), per example. */
    int[] classes();

    /** Whether example i predicted as {@code predicted} is a success. */
    boolean isAdversarial(int i, int predicted);

    default boolean[] isAdversarial(int[] predictions) {
        boolean[] out = new boolean[predictions.length];
        for (int i = 0; i < out.length; i++) out[i] = isAdversarial(i, predictions[i]);
        return out;
    }

    /** The per-example quantity to maximise for the given loss. */
    LossFunction objective(AttackLoss loss);

    /** The criterion restricted to rows {@code rows} (in that order). */
    Criterion subset(int[] rows);

    static int[] gather(int[] a, int[] rows) {
        if (a == null) return null;
        int[] o = new int[rows.length];
        for (int i = 0; i < rows.length; i++) o[i] = a[rows[i]];
        return o;
    }
}
