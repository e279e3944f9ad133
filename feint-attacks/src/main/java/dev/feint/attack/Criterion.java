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

    /** The per-example quantity to maximise for the given loss: the criterion decides the sign (and the classes). */
    LossFunction objective(Loss loss);

    /**
     * The dataset position of each row (default 0..n-1): attacks derive their random streams
     * from (seed, index), so a result does not depend on the batch an example falls in.
     */
    int[] indices();

    /** The same criterion with these dataset positions for its rows. */
    Criterion withIndices(int[] indices);

    /** The criterion restricted to rows {@code rows} (in that order). */
    Criterion subset(int[] rows);

    /** 0..n-1, checked to have one index per row otherwise. */
    static int[] indices(int[] given, int n) {
        if (given == null) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) r[i] = i;
            return r;
        }
        if (given.length != n) throw new IllegalArgumentException(given.length + " indices for " + n + " rows");
        return given.clone();
    }

    static int[] gather(int[] a, int[] rows) {
        if (a == null) return null;
        int[] o = new int[rows.length];
        for (int i = 0; i < rows.length; i++) o[i] = a[rows[i]];
        return o;
    }
}
