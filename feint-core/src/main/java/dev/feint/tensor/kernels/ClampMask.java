package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A clamp to [lo, hi] that records where its input was inside (for the gradient), and that
 * gradient: the recorded forward of a convolution + clamp (MobileNet's Conv + ReLU6), with vectors
 * instead of a scalar loop and a boolean store per element (a tenth of an imported MobileNet-V2's
 * input-gradient step). Same values as the scalar {@code v < lo ? lo : v > hi ? hi : v} (NaN and
 * -0.0 pass through) and mask {@code v >= lo && v <= hi}.
 *
 * <pre>{@code boolean[] inside = new boolean[z.length];
 * ClampMask.clamp(z, 0f, 6f, inside);            // forward
 * float[] gz = ClampMask.masked(gradOut, inside); // backward}</pre>
 */
public final class ClampMask {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private ClampMask() {}

    /**
     * v[i] = clamp(v[i], lo, hi) in place; inside[i] (when not null) = {@code lo <= v[i] <= hi} before the clamp.
     *
     * @param v the values, clamped in place
     * @param lo the lower bound
     * @param hi the upper bound
     * @param inside where to record which inputs were inside [lo, hi] (at least v's length), or null
     */
    public static void clamp(float[] v, float lo, float hi, boolean[] inside) {
        if (inside != null && inside.length < v.length) throw new IllegalArgumentException("inside length " + inside.length + " < " + v.length);
        FloatVector vlo = FloatVector.broadcast(S, lo), vhi = FloatVector.broadcast(S, hi);
        int i = 0, bound = S.loopBound(v.length);
        for (; i < bound; i += VL) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            VectorMask<Float> below = x.compare(VectorOperators.LT, vlo), above = x.compare(VectorOperators.GT, vhi);
            if (inside != null) x.compare(VectorOperators.GE, vlo).and(x.compare(VectorOperators.LE, vhi)).intoArray(inside, i);
            x.blend(vlo, below).blend(vhi, above).intoArray(v, i);
        }
        for (; i < v.length; i++) {
            float x = v[i];
            if (inside != null) inside[i] = x >= lo && x <= hi;
            v[i] = x < lo ? lo : (x > hi ? hi : x);
        }
    }

    /**
     * {@return a new array: g[i] where inside[i], else 0}
     *
     * @param g the gradient with respect to the clamp's output
     * @param inside the mask {@link #clamp} recorded (at least g's length)
     */
    public static float[] masked(float[] g, boolean[] inside) {
        if (inside.length < g.length) throw new IllegalArgumentException("inside length " + inside.length + " < " + g.length);
        float[] out = new float[g.length];
        FloatVector zero = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(g.length);
        for (; i < bound; i += VL) zero.blend(FloatVector.fromArray(S, g, i), VectorMask.fromArray(S, inside, i)).intoArray(out, i);
        for (; i < g.length; i++) if (inside[i]) out[i] = g[i];
        return out;
    }

    /**
     * g[i] = 0 where y[i] is not strictly inside (lo, hi) (a NaN is not), in place: the gradient of a clamp read
     * from its output (a bound at infinity is no bound; ReLU is lo 0, hi +inf).
     *
     * @param g the output gradient, masked in place
     * @param y the clamped output
     * @param lo the lower bound, or -inf
     * @param hi the upper bound, or +inf
     */
    public static void maskByOutput(float[] g, float[] y, float lo, float hi) {
        boolean byLo = lo != Float.NEGATIVE_INFINITY, byHi = hi != Float.POSITIVE_INFINITY;
        if (!byLo && !byHi) return;
        if (y.length < g.length) throw new IllegalArgumentException("output length " + y.length + " < " + g.length);
        FloatVector vlo = FloatVector.broadcast(S, lo), vhi = FloatVector.broadcast(S, hi), zero = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(g.length);
        for (; i < bound; i += VL) {
            FloatVector v = FloatVector.fromArray(S, y, i);
            VectorMask<Float> in = byLo ? v.compare(VectorOperators.GT, vlo) : S.maskAll(true);
            if (byHi) in = in.and(v.compare(VectorOperators.LT, vhi));
            zero.blend(FloatVector.fromArray(S, g, i), in).intoArray(g, i);
        }
        for (; i < g.length; i++) if (!((!byLo || y[i] > lo) && (!byHi || y[i] < hi))) g[i] = 0f;
    }
}
