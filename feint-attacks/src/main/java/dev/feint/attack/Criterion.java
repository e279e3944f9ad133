package dev.feint.attack;

import dev.feint.model.LossFunction;

/**
 * What counts as a successful adversarial example, and therefore which way gradients point.
 * The criterion, not a string flag, decides: {@link #objective} is always a quantity attacks
 * <em>increase</em> (the label's loss when untargeted, minus the target's loss when targeted).
 */
public sealed interface Criterion permits Misclassification, TargetedMisclassification {
    /** {@return the number of examples} */
    int size();

    /** {@return the true labels (null for a targeted criterion built without them)} */
    int[] labels();

    /** {@return true for a targeted criterion (success: the target class), false for an untargeted one (any wrong class)} */
    boolean targeted();

    /** {@return the class the attack moves away from (label) or toward (target), per example} */
    int[] classes();

    /**
     * Whether example i predicted as {@code predicted} is a success.
     *
     * @param i the example's row
     * @param predicted the class predicted for it
     * @return true when that prediction meets the criterion
     */
    boolean isAdversarial(int i, int predicted);

    /**
     * Checks every row.
     *
     * @param predictions the class predicted for each row
     * @return per row, whether the prediction meets the criterion
     */
    default boolean[] isAdversarial(int[] predictions) {
        boolean[] out = new boolean[predictions.length];
        for (int i = 0; i < out.length; i++) out[i] = isAdversarial(i, predictions[i]);
        return out;
    }

    /**
     * The per-example quantity to maximise for the given loss: the criterion decides the sign (and the classes).
     *
     * @param loss the loss
     * @return the quantity attacks increase
     */
    LossFunction objective(Loss loss);

    /**
     * The dataset position of each row (default 0..n-1): attacks derive their random streams
     * from (seed, index), so a result does not depend on the batch an example falls in.
     *
     * @return the dataset position of each row
     */
    int[] indices();

    /**
     * The same criterion with these dataset positions for its rows.
     *
     * @param indices the dataset position of each row (null: 0..n-1)
     * @return the new criterion
     */
    Criterion withIndices(int[] indices);

    /**
     * The criterion restricted to rows {@code rows} (in that order).
     *
     * @param rows the rows to keep
     * @return the new criterion
     */
    Criterion subset(int[] rows);

    /**
     * 0..n-1, checked to have one index per row otherwise.
     *
     * @param given the indices, or null
     * @param n rows
     * @return the indices
     * @throws IllegalArgumentException when {@code given} has not one index per row
     */
    static int[] indices(int[] given, int n) {
        if (given == null) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) r[i] = i;
            return r;
        }
        if (given.length != n) throw new IllegalArgumentException(given.length + " indices for " + n + " rows");
        return given.clone();
    }

    /**
     * Picks {@code a[rows[i]]} for each i, so that a per-row array follows a subset.
     *
     * @param a the per-row values, or null
     * @param rows the rows to keep
     * @return the picked values, or null when {@code a} is null
     */
    static int[] gather(int[] a, int[] rows) {
        if (a == null) return null;
        int[] o = new int[rows.length];
        for (int i = 0; i < rows.length; i++) o[i] = a[rows[i]];
        return o;
    }
}
