package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of projection, steps and random starts over random shapes, radii and seeds. */
class NormTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Norm norm : List.of(Norm.LINF, Norm.L2, Norm.L1))
            for (long seed = 1; seed <= 12; seed++) {
                SplittableRandom r = new SplittableRandom(seed * 31 + norm.ordinal());
                int n = 1 + r.nextInt(5), d = 1 + r.nextInt(norm == Norm.L1 ? 300 : 900);
                float eps = (float) (norm == Norm.LINF ? 0.01 + 0.3 * r.nextDouble() : 0.05 + 3 * r.nextDouble());
                out.add(Arguments.of(norm, n, d, eps, seed));
            }
        return out.stream();
    }

    static float[] random(SplittableRandom r, int len, double scale) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return a;
    }

    @ParameterizedTest(name = "{0} n={1} d={2} eps={3} seed={4}")
    @MethodSource("cases")
    void projectionLandsInTheBallAndIsTheNearestPoint(Norm norm, int n, int d, float eps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x0 = random(r, n * d, 1), x = random(r, n * d, 3), p = x.clone();
        norm.project(p, x0, n, d, eps);
        for (int i = 0; i < n; i++) {
            double before = norm.measure(x, x0, i * d, d), after = norm.measure(p, x0, i * d, d);
            assertTrue(after <= eps + 1e-6, "outside the ball: " + after + " > " + eps);
            if (before <= eps) for (int j = i * d; j < (i + 1) * d; j++) assertEquals(x[j], p[j], "inside points stay put");
            else if (norm != Norm.LINF) assertEquals(eps, after, 1e-4 * eps, "outside points land on the sphere");
            if (before > eps) nearest(norm, x, x0, p, i * d, d, eps, before);
        }
        float[] again = p.clone();
        norm.project(again, x0, n, d, eps);
        assertArrayEquals(p, again, 1e-6f, "projection is idempotent");
    }

    @ParameterizedTest(name = "{0} n={1} d={2} eps={3} seed={4}")
    @MethodSource("cases")
    void stepsHaveUnitNormTimesAlphaAndAscend(Norm norm, int n, int d, float eps, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 100);
        float[] g = random(r, n * d, 1), x = new float[n * d], zero = new float[n * d];
        norm.ascend(x, g, n, d, eps);
        for (int i = 0; i < n; i++) {
            assertEquals(eps, norm.measure(x, zero, i * d, d), 1e-4 * eps, "step size");
            double dot = 0;
            for (int j = i * d; j < (i + 1) * d; j++) dot += (double) x[j] * g[j];
            assertTrue(dot > 0, "a step must ascend the gradient");
        }
    }

    @ParameterizedTest(name = "{0} n={1} d={2} eps={3} seed={4}")
    @MethodSource("cases")
    void randomStartsFillTheBallAndRepeatWithTheSeed(Norm norm, int n, int d, float eps, long seed) {
        float[] x0 = random(new SplittableRandom(seed), n * d, 1), a = new float[n * d], b = new float[n * d];
        norm.randomStart(a, x0, n, d, eps, new SplittableRandom(seed));
        norm.randomStart(b, x0, n, d, eps, new SplittableRandom(seed));
        assertArrayEquals(a, b);
        for (int i = 0; i < n; i++) {
            double m = norm.measure(a, x0, i * d, d);
            assertTrue(m <= eps * (1 + 1e-5) && m > 0, "random start at " + m + " for eps " + eps);
        }
    }

    @Test
    void l0KeepsTheLargestChangesAndCountsThem() {
        float[] x0 = new float[10], x = {0.5f, -0.2f, 0, 0.9f, 0.2f, 0.2f, 0, 0, -0.7f, 1e-7f};
        assertEquals(6, Norm.L0.measure(x, x0, 0, 10), "changes within the tolerance do not count");
        float[] p = x.clone();
        Norm.L0.project(p, x0, 1, 10, 4.5f);
        assertArrayEquals(new float[] {0.5f, -0.2f, 0, 0.9f, 0, 0, 0, 0, -0.7f, 0}, p, "the largest three, then the first tie");
        p = x.clone();
        Norm.L0.project(p, x0, 1, 10, 8);
        assertArrayEquals(x, p, "already inside");
        assertThrows(UnsupportedOperationException.class, () -> Norm.L0.ascend(new float[10], x, 1, 10, 1));
        assertEquals(Norm.L0, Norm.parse("l0"));
        assertEquals(784.0, Norm.L0.maxEps(Bounds.UNIT, 784));
    }

    @Test
    void parseAndLimits() {
        assertEquals(Norm.LINF, Norm.parse("Linf"));
        assertEquals(Norm.L2, Norm.parse("l2"));
        assertEquals("unknown norm 'l3' (expected linf, l2, l1 or l0)", assertThrows(FeintException.class, () -> Norm.parse("l3")).getMessage());
        assertEquals(1.0, Norm.LINF.maxEps(Bounds.UNIT, 784));
        assertEquals(28.0, Norm.L2.maxEps(Bounds.UNIT, 784), 1e-9);
        assertEquals(784.0, Norm.L1.maxEps(Bounds.UNIT, 784));
    }

    /** The optimality conditions of each projection, coordinate by coordinate. */
    private static void nearest(Norm norm, float[] x, float[] x0, float[] p, int off, int d, float eps, double before) {
        double theta = Double.NaN;
        for (int j = off; j < off + d; j++) {
            double v = (double) x[j] - x0[j], q = (double) p[j] - x0[j];
            switch (norm) {
                case LINF -> assertEquals(Math.max(-eps, Math.min(eps, v)), q, 1e-6);
                case L2 -> assertEquals(v * eps / before, q, 1e-5, "L2 projection scales toward x0");
                case L1 -> { // soft thresholding: |v| - |q| is one theta wherever q != 0, and |v| <= theta elsewhere
                    assertTrue(q == 0 || Math.signum(q) == Math.signum(v), "sign kept");
                    if (Math.abs(q) > 1e-5) {
                        double t = Math.abs(v) - Math.abs(q);
                        if (Double.isNaN(theta)) theta = t;
                        assertEquals(theta, t, 1e-4, "one threshold");
                    }
                }
            }
        }
        if (norm == Norm.L1 && !Double.isNaN(theta))
            for (int j = off; j < off + d; j++)
                if (Math.abs((double) p[j] - x0[j]) <= 1e-5) assertTrue(Math.abs((double) x[j] - x0[j]) <= theta + 1e-4);
    }
}
