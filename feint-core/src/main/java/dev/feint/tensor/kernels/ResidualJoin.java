package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * out = a + b, or relu(a + b), over whole arrays: the residual join of two inference activations
 * of the same layout. Memory-bound (three streams, no reuse), so a large join is split over the
 * worker threads; each element is one addition, so the result does not depend on the split.
 */
public final class ResidualJoin {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ResidualJoin() {}

    /**
     * out[i] = a[i] + b[i], with {@code relu} then {@code s > 0 ? s : 0} (NaN gives 0, as {@code Unary.relu}).
     *
     * @param a one addend
     * @param b the other, as long as a
     * @param out the result, as long as a (may be a or b)
     * @param relu whether to apply ReLU
     */
    public static void add(float[] a, float[] b, float[] out, boolean relu) {
        int n = a.length;
        if (b.length != n || out.length != n) throw new IllegalArgumentException("lengths " + n + ", " + b.length + ", " + out.length + " differ");
        Parallel.forRange(n, Math.max(S.length(), Parallel.grain(1)), (chunk, from, to) -> {
            int i = from, bound = from + S.loopBound(to - from);
            FloatVector zero = FloatVector.zero(S);
            if (relu) {
                for (; i < bound; i += S.length()) {
                    FloatVector s = FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i));
                    zero.blend(s, s.compare(VectorOperators.GT, 0f)).intoArray(out, i);
                }
                for (; i < to; i++) {
                    float s = a[i] + b[i];
                    out[i] = s > 0f ? s : 0f;
                }
            } else {
                for (; i < bound; i += S.length()) FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
                for (; i < to; i++) out[i] = a[i] + b[i];
            }
        });
    }
}
