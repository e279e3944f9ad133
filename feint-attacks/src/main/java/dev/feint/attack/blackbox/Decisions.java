package dev.feint.attack.blackbox;

import dev.feint.attack.Criterion;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** What the decision-based attacks (HopSkipJump, Boundary) share: label-only queries, a start, bisection. */
final class Decisions {
    private Decisions() {}

    /**
     * The only thing a decision-based attack reads: does each input meet its example's criterion,
     * with the winning class ahead by the oracle's margin ({@link DecisionMargin})?
     */
    static boolean[] decide(Oracle o, Criterion crit, float[] imgs, int[] owner) {
        float[] z = o.logits(imgs, owner, owner.length);
        int[] cls = crit.classes();
        boolean[] out = new boolean[owner.length];
        for (int j = 0; j < owner.length; j++) out[j] = DecisionMargin.holds(z, j, o.k, crit.targeted(), cls[owner[j]], o.margin);
        return out;
    }

    static int[] rows(int n, java.util.function.IntPredicate p) { return IntStream.range(0, n).filter(p).toArray(); }

    /**
     * A starting point per example not in {@code skip}: uniform noise in the bounds (up to
     * {@code tries} rounds, one batched query each), else another clean input of the batch whose
     * clean prediction meets the example's criterion (re-queried, charged to this example); then
     * a blended bisection toward x to 0.001. Returns which examples have a start in {@code cur}.
     */
    static boolean[] start(Oracle o, Criterion crit, float[] x0, float[] clean, boolean[] skip, int tries, SplittableRandom[] rng,
                           float[] cur) {
        int n = o.n, d = o.d;
        Bounds b = o.bounds();
        boolean[] has = new boolean[n];
        for (int t = 0; t < tries; t++) {
            int[] act = rows(n, i -> !skip[i] && !has[i] && o.remaining(i) >= 1);
            if (act.length == 0) break;
            float[] imgs = new float[act.length * d];
            for (int j = 0; j < act.length; j++)
                for (int q = 0; q < d; q++) imgs[j * d + q] = (float) (b.lo() + b.range() * rng[act[j]].nextDouble());
            take(decide(o, crit, imgs, act), act, imgs, cur, has, d);
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n && !skip[i] && !has[i] && o.remaining(i) >= 1; j++)
                if (j != i && crit.isAdversarial(i, Oracle.argmax(clean, j, o.k))) {
                    float[] img = Arrays.copyOfRange(x0, j * d, (j + 1) * d);
                    take(decide(o, crit, img, new int[] {i}), new int[] {i}, img, cur, has, d);
                }
        double[] thr = new double[n];
        Arrays.fill(thr, 0.001);
        bisect(o, crit, x0, cur, rows(n, i -> has[i]), thr, true);
        return has;
    }

    private static void take(boolean[] dec, int[] act, float[] imgs, float[] cur, boolean[] has, int d) {
        for (int j = 0; j < act.length; j++)
            if (dec[j] && !has[act[j]]) {
                System.arraycopy(imgs, j * d, cur, act[j] * d, d);
                has[act[j]] = true;
            }
    }

    /**
     * Lockstep bisection on alpha in [0, high] until high - low <= thr[i], one batched query per
     * round: blend (1 - alpha) x + alpha cur (high = 1), or clip cur to the Linf box of radius
     * alpha around x (high = its Linf distance). cur ends at project(high), which met the criterion.
     */
    static void bisect(Oracle o, Criterion crit, float[] x0, float[] cur, int[] act, double[] thr, boolean blend) {
        int d = o.d;
        double[] lo = new double[o.n], hi = new double[o.n];
        float[] base = cur.clone();
        for (int i : act) hi[i] = blend ? 1 : Norm.LINF.measure(cur, x0, i * d, d);
        while (true) {
            int[] idx = Arrays.stream(act).filter(i -> hi[i] - lo[i] > thr[i] && o.remaining(i) >= 1).toArray();
            if (idx.length == 0) break;
            float[] imgs = new float[idx.length * d];
            for (int a = 0; a < idx.length; a++) project(x0, base, idx[a], (lo[idx[a]] + hi[idx[a]]) / 2, blend, imgs, a * d, d);
            boolean[] dec = decide(o, crit, imgs, idx);
            for (int a = 0; a < idx.length; a++) {
                int i = idx[a];
                double mid = (lo[i] + hi[i]) / 2;
                if (dec[a]) hi[i] = mid;
                else lo[i] = mid;
            }
        }
        for (int i : act) project(x0, base, i, hi[i], blend, cur, i * d, d);
    }

    private static void project(float[] x0, float[] p, int i, double alpha, boolean blend, float[] out, int oo, int d) {
        for (int q = 0; q < d; q++) {
            float x = x0[i * d + q], v = p[i * d + q];
            out[oo + q] = blend ? (float) ((1 - alpha) * x + alpha * v) : (float) Math.min(Math.max(v, x - alpha), x + alpha);
        }
    }
}
