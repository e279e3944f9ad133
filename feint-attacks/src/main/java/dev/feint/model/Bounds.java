package dev.feint.model;

/**
 * The box every input of a model lives in, {@code [lo, hi]} per coordinate. Attacks clip to
 * it rather than to a literal 0..1, so a model that takes [-1, 1] inputs needs no special case.
 *
 * <pre>{@code
 * Bounds pixels = new Bounds(0f, 255f);
 * pixels.clamp(adversarial.data(), 0, adversarial.size());
 * }</pre>
 *
 * @param lo the smallest value an input may take
 * @param hi the largest value an input may take, above {@code lo}
 */
public record Bounds(float lo, float hi) {
    /** Checks that both ends are finite and {@code lo < hi}. */
    public Bounds {
        if (!(Float.isFinite(lo) && Float.isFinite(hi) && lo < hi))
            throw new IllegalArgumentException("bounds must be finite with lo < hi, got [" + lo + ", " + hi + "]");
    }

    /** The unit box of images in [0, 1]. */
    public static final Bounds UNIT = new Bounds(0f, 1f);

    /** {@return the width {@code hi - lo}} */
    public float range() { return hi - lo; }

    /**
     * The nearest value inside the box.
     *
     * @param v a value
     * @return {@code v} clamped to [lo, hi]
     */
    public float clamp(float v) { return v < lo ? lo : (v > hi ? hi : v); }

    /**
     * Clamps {@code a[from, to)} in place.
     *
     * @param a the values
     * @param from the first index clamped
     * @param to one past the last index clamped
     */
    public void clamp(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = a[i];
            a[i] = v < lo ? lo : (v > hi ? hi : v);
        }
    }

    /**
     * Whether a value is inside the box.
     *
     * @param v a value
     * @return true when {@code lo <= v <= hi}
     */
    public boolean contains(float v) { return v >= lo && v <= hi; }

    @Override public String toString() { return "[" + lo + ", " + hi + "]"; }
}
