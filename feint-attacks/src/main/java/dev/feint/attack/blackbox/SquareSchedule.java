package dev.feint.attack.blackbox;

/**
 * The Square Attack's search geometry (Andriushchenko et al. 2020, arXiv:1912.00049): the
 * piecewise-constant schedule of p, the fraction of pixels a square covers, and the L2
 * attack's "pseudo-Gaussian" window pattern. Kept apart from the attack so both can be tested.
 */
final class SquareSchedule {
    private SquareSchedule() {}

    /**
     * p at iteration {@code it} of {@code iters}: p_init halved at 10, 50, 200, 500, 1000, 2000,
     * 4000, 6000 and 8000 iterations of a 10,000-iteration run, rescaled to {@code iters}.
     */
    static double p(double pInit, int it, int iters) {
        int i = (int) ((long) it * 10000 / Math.max(1, iters));
        int[] edges = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        int halvings = 0;
        for (int e : edges) if (i > e) halvings++;
        return pInit / (1 << halvings);
    }

    /** Side of the Linf square: round(sqrt(p * h * w)), at least 1, at most min(h, w) - 1 (1 for tiny images). */
    static int linfSide(double p, int h, int w) {
        int s = (int) Math.max(1, Math.round(Math.sqrt(p * h * w)));
        return Math.max(1, Math.min(s, Math.min(h, w) - 1));
    }

    /** Side of the L2 window: as Linf but at least 3 and odd, at most min(h, w). */
    static int l2Side(double p, int h, int w) {
        int s = (int) Math.max(3, Math.round(Math.sqrt(p * h * w)));
        if (s % 2 == 0) s++;
        int m = Math.min(h, w);
        return s <= m ? s : (m % 2 == 1 || m < 2 ? m : m - 1);
    }

    /**
     * The s x s window pattern of the L2 attack, unit L2 norm: the top half a sum of nested
     * rectangles weighted 1/(k+1)^2 around its centre, the bottom half the same with minus sign.
     */
    static float[] eta(int s) {
        float[] out = new float[s * s];
        int top = s / 2;
        float[] a = rectangles(top, s), b = rectangles(s - top, s);
        for (int i = 0; i < top * s; i++) out[i] = a[i];
        for (int i = 0; i < (s - top) * s; i++) out[top * s + i] = -b[i];
        normalise(out);
        return out;
    }

    private static float[] rectangles(int x, int y) {
        float[] m = new float[x * y];
        int xc = x / 2 + 1, yc = y / 2 + 1, c0 = xc - 1, c1 = yc - 1;
        for (int k = 0; k < Math.max(xc, yc); k++) {
            float v = 1f / ((k + 1f) * (k + 1f));
            for (int i = Math.max(c0, 0); i < Math.min(c0 + 2 * k + 1, x); i++)
                for (int j = Math.max(c1, 0); j < Math.min(c1 + 2 * k + 1, y); j++) m[i * y + j] += v;
            c0--;
            c1--;
        }
        normalise(m);
        return m;
    }

    private static void normalise(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        if (s == 0) return;
        float f = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < a.length; i++) a[i] *= f;
    }
}
