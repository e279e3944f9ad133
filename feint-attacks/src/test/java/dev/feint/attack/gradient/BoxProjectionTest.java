package dev.feint.attack.gradient;

import dev.feint.attack.Norm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FAB's box-constrained projection against independent solvers of the same problem. */
class BoxProjectionTest {
    @ParameterizedTest
    @EnumSource(value = Norm.class, names = {"LINF", "L2", "L1"})
    void smallestDeltaOnThePlaneInsideTheBox(Norm norm) {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int d = 1 + r.nextInt(6);
            float[] p = new float[d], w = new float[d], out = new float[d];
            for (int i = 0; i < d; i++) {
                p[i] = (float) r.nextDouble();
                w[i] = trial % 7 == 0 && i == 0 ? 0f : (float) (2 * r.nextDouble() - 1);
            }
            double wp = 0, reach = 0; // reach: the largest w.(p + delta) inside the box
            for (int i = 0; i < d; i++) {
                wp += (double) w[i] * p[i];
                reach += Math.max(w[i] * (1.0 - p[i]), w[i] * (0.0 - p[i]));
            }
            double b = wp + reach * (trial % 5 == 4 ? 1.5 : r.nextDouble()) * (trial % 2 == 0 ? 1 : -1);
            if (trial % 2 == 1) b = wp - reachDown(w, p);
            BoxProjection.project(norm, p, 0, w, 0, b, d, 0f, 1f, out, 0);
            double on = 0;
            for (int i = 0; i < d; i++) {
                float z = p[i] + out[i];
                assertTrue(z >= -1e-6 && z <= 1 + 1e-6, norm + " trial " + trial + ": left the box");
                on += (double) w[i] * z;
            }
            double gap = Math.abs(b - wp);
            boolean feasible = trial % 5 != 4 || trial % 2 == 1;
            if (feasible) assertEquals(b, on, 1e-5, norm + " trial " + trial + ": not on the plane");
            else assertEquals(Math.signum(b - wp) * reach, on - wp, 1e-5, "infeasible: the corner that gets closest");
            if (feasible && gap > 0)
                assertEquals(reference(norm, p, w, b), norm.measure(out, new float[d], 0, d), 1e-5, norm + " trial " + trial + ": not the smallest");
        }
    }

    private static double reachDown(float[] w, float[] p) { // the whole way down to the box, times a random share
        double s = 0;
        for (int i = 0; i < w.length; i++) s += Math.max(-w[i] * (1.0 - p[i]), -w[i] * (0.0 - p[i]));
        return s * 0.37;
    }

    /** Independent solvers: bisection on the level for Linf and L2, vertex enumeration of the LP for L1. */
    private static double reference(Norm norm, float[] p, float[] w, double b) {
        int d = p.length;
        double c = b, need;
        for (int i = 0; i < d; i++) c -= (double) w[i] * p[i];
        need = Math.abs(c);
        double[] a = new double[d], room = new double[d];
        for (int i = 0; i < d; i++) {
            double wi = Math.signum(c) * w[i];
            a[i] = Math.abs(wi);
            room[i] = wi > 0 ? 1.0 - p[i] : wi < 0 ? p[i] : 0;
        }
        if (norm == Norm.L1) {
            double best = Double.POSITIVE_INFINITY;
            for (int free = 0; free < d; free++)
                for (int mask = 0; mask < 1 << d; mask++) {
                    if ((mask >> free & 1) != 0 || a[free] == 0) continue;
                    double got = 0, size = 0;
                    for (int i = 0; i < d; i++) if ((mask >> i & 1) != 0) { got += a[i] * room[i]; size += room[i]; }
                    double tf = (need - got) / a[free];
                    if (tf >= -1e-12 && tf <= room[free] + 1e-12) best = Math.min(best, size + tf);
                }
            return best;
        }
        double lo = 0, hi = 1e6;
        for (int it = 0; it < 200; it++) {
            double mid = (lo + hi) / 2, g = 0;
            for (int i = 0; i < d; i++) g += a[i] * Math.min(norm == Norm.LINF ? mid : mid * a[i], room[i]);
            if (g >= need) hi = mid; else lo = mid;
        }
        double s = 0;
        for (int i = 0; i < d; i++) {
            double t = Math.min(norm == Norm.LINF ? hi : hi * a[i], room[i]);
            s = norm == Norm.LINF ? Math.max(s, t) : s + t * t;
        }
        return norm == Norm.LINF ? s : Math.sqrt(s);
    }
}
