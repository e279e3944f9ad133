package dev.feint.attack.gradient;

import dev.feint.attack.Norm;

import java.util.Arrays;

/**
 * FAB's projection onto a linearised decision boundary inside the input box: the smallest
 * {@code delta} in Linf, L2 or L1 with {@code w . (p + delta) = b} and {@code lo <= p + delta <= hi}.
 * Moving toward the plane only ever changes coordinates in the direction of {@code sign(w_i)} (or
 * its opposite), each by at most its room to the box, so the problem is, with a_i = |w_i|:
 * minimise ||t|| over {@code sum a_i t_i = |b - w.p|}, {@code 0 <= t_i <= room_i}. Its exact
 * solution is a sweep over sorted breakpoints: Linf {@code t_i = min(r, room_i)}; L2
 * {@code t_i = min(lambda a_i, room_i)} (KKT); L1 fills the largest a_i first (a fractional
 * knapsack). When even the whole box cannot reach the plane, the corner that gets closest is
 * returned, as Croce and Hein's projections do. O(d log d) per point.
 */
final class BoxProjection {
    private BoxProjection() {}

    /** Writes delta for the point p[po, po + d) and the plane (w[wo, wo + d), b) into out[oo, oo + d). */
    static void project(Norm norm, float[] p, int po, float[] w, int wo, double b, int d, float lo, float hi, float[] out, int oo) {
        double c = b;
        for (int i = 0; i < d; i++) c -= (double) w[wo + i] * p[po + i];
        Arrays.fill(out, oo, oo + d, 0f);
        if (c == 0) return;
        double s = Math.signum(c), need = Math.abs(c);
        double[] a = new double[d], room = new double[d];
        long[] keys = new long[d];
        int m = 0;
        for (int i = 0; i < d; i++) {
            double wi = s * w[wo + i];
            if (wi == 0) continue;
            a[i] = Math.abs(wi);
            room[i] = Math.max(0, wi > 0 ? (double) hi - p[po + i] : (double) p[po + i] - lo);
            double key = switch (norm) {
                case LINF -> room[i];
                case L2 -> room[i] / a[i];
                default -> 1 / a[i]; // L1: largest a first
            };
            // Non-negative floats order like their bits: sort (key, index) pairs as longs.
            keys[m++] = ((long) Float.floatToIntBits((float) key) << 32) | i;
        }
        Arrays.sort(keys, 0, m);
        double[] t = new double[d];
        double full = 0, rest = 0; // reached by coordinates at their room; weight of the others
        for (int q = 0; q < m; q++) {
            int i = (int) keys[q];
            rest += norm == Norm.L2 ? a[i] * a[i] : a[i];
        }
        int q = 0;
        double level = Double.NaN;
        for (; q < m; q++) {
            int i = (int) keys[q];
            if (norm == Norm.L1) {
                if (full + a[i] * room[i] >= need) {
                    t[i] = (need - full) / a[i];
                    break;
                }
                t[i] = room[i];
                full += a[i] * room[i];
                continue;
            }
            double r = (need - full) / rest, cap = norm == Norm.LINF ? room[i] : room[i] / a[i];
            if (r <= cap) {
                level = r;
                break;
            }
            t[i] = room[i];
            full += a[i] * room[i];
            rest -= norm == Norm.L2 ? a[i] * a[i] : a[i];
        }
        if (norm != Norm.L1 && !Double.isNaN(level))
            for (int u = q; u < m; u++) {
                int i = (int) keys[u];
                t[i] = norm == Norm.LINF ? level : level * a[i];
            }
        for (int i = 0; i < d; i++) if (t[i] != 0) out[oo + i] = (float) (Math.signum(s * w[wo + i]) * t[i]);
    }
}
