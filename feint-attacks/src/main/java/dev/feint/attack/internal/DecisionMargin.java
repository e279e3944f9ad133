package dev.feint.attack.internal;

import dev.feint.attack.Criterion;
import dev.feint.attack.ParameterException;

/**
 * The margin by which minimum-norm attacks (DeepFool, C&amp;W, FAB, HopSkipJump, Boundary) make the
 * wrong class win, so that success survives a change of engine. A point that sits exactly on the
 * decision boundary flips back under float differences of about 1e-5 in the logits (Winograd
 * against a direct sum, another library), so these attacks count a point as adversarial only when
 * the winning class leads by {@code margin * max_j |z_j|} (relative to the logit scale of that
 * point). The default {@value #DEFAULT} is a hundred times the float noise of typical logits, and
 * costs a relative increase of the perturbation of the same order. Margin 0 is the plain argmax
 * rule (a strict lead).
 */
public final class DecisionMargin {
    /** The default relative margin: the win must exceed 1e-3 of the largest |logit|. */
    public static final float DEFAULT = 1e-3f;

    private DecisionMargin() {}

    /** The lead required at logits row z[off, off + k): {@code margin * max_j |z_j|}. */
    public static float gap(float[] z, int off, int k, float margin) {
        float s = 0f;
        for (int j = off; j < off + k; j++) s = Math.max(s, Math.abs(z[j]));
        return margin * s;
    }

    /**
     * How far the criterion's class is beaten (untargeted: best other logit minus the label's) or
     * leads (targeted: the target's minus the best other); positive means the argmax succeeds.
     */
    public static float win(float[] z, int off, int k, boolean targeted, int cls) {
        float other = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) if (j != cls) other = Math.max(other, z[off + j]);
        float c = z[off + cls];
        return targeted ? c - other : other - c;
    }

    /** Whether row r of logits z (flat, k per row) meets the criterion of example i with the margin. */
    public static boolean holds(float[] z, int r, int k, boolean targeted, int cls, float margin) {
        return win(z, r * k, k, targeted, cls) > gap(z, r * k, k, margin);
    }

    /** Per example of a batch of logits [n, k] (row i is example i of crit). */
    public static boolean[] holds(Criterion crit, float[] z, int k, float margin) {
        int[] cls = crit.classes();
        boolean[] out = new boolean[cls.length];
        for (int i = 0; i < cls.length; i++) out[i] = holds(z, i, k, crit.targeted(), cls[i], margin);
        return out;
    }

    /** Builder check: a finite margin in [0, 1). */
    public static float check(String attack, float margin) {
        if (!(margin >= 0f && margin < 1f)) throw ParameterException.invalid(attack, "margin", margin, "a number in [0, 1)");
        return margin;
    }
}
