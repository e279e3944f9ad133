package dev.feint.model;

/**
 * The box every input of a model lives in, {@code [lo, hi]} per coordinate. Attacks clip to
 * it rather than to a literal 0..1, so a model that takes [-1, 1] inputs needs no special case.
 */
public record Bounds(float lo, float hi) {
    public Bounds {
        if (!(Float.isFinite(lo) && Float.isFinite(hi) && lo < hi))
            throw new IllegalArgumentException("bounds must be finite with lo < hi, got [" + lo + ", " + hi + "]");
    }

    /** The unit box of images in [0, 1]. */
    public static final Bounds UNIT = new Bounds(0f, 1f);

    public float range() { return hi - lo; }

    public float clamp(float v) { return v < lo ? lo : (v > hi ? hi : v); }

    /** Clamps {@code a[from, to)} in place. */
    public void clamp(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = a[i];
            a[i] = v < lo ? lo : (v > hi ? hi : v);
        }
    }

    public boolean contains(float v) { return v >= lo && v <= hi; }

    @Override public String toString() { return "[" + lo + ", " + hi + "]"; }
}
