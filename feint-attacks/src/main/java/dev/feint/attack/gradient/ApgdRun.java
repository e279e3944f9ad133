package dev.feint.attack.gradient;

import dev.feint.attack.AttackContext;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.autograd.Reductions;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * One run of Auto-PGD (Croce and Hein, arXiv:2003.01690) on m rows, per example throughout:
 * step size 2 eps (Linf, L2) halved at the checkpoints p_0 = 0, p_1 = 0.22,
 * p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06) when the loss rose in at most rho = 0.75 of
 * the steps since the last one (or the best loss has not moved and the step was not halved
 * last time), restarting then from the best point; momentum alpha = 0.75. L1: the sparse step
 * of arXiv:2103.01208 (the top-k coordinates of the gradient, k adapted to the sparsity of the
 * best point every 4% of the steps, step size eps shrunk by 1.5 when the sparsity stalls) and
 * the exact projection onto the intersection of the L1 ball and the box.
 */
final class ApgdRun {
    static final float MOMENTUM = 0.75f, RHO = 0.75f;

    private ApgdRun() {}

    /**
     * Attacks rows {@code rows} (of the context's batch) whose inputs are x0 [m * d]; writes into
     * out the adversarial point found (success per {@code crit}, which covers the m rows) or else
     * the point of highest {@code objective}; returns which rows succeeded.
     */
    static boolean[] run(AttackContext ctx, int[] rows, int[] shape, float[] x0, Criterion crit, LossFunction objective, Norm norm,
                         float eps, int steps, SplittableRandom[] rng, float[] out) {
        int m = rows.length, d = ctx.d();
        Bounds b = ctx.bounds();
        float[] cur = new float[m * d], old = new float[m * d], best = new float[m * d], grad = new float[m * d];
        float[] gradBest = new float[m * d], z = new float[m * d];
        start(cur, x0, m, d, norm, eps, rng);
        b.clamp(cur, 0, cur.length);
        Tensor xt = new Tensor(Shape.of(m, shape[0], shape[1], shape[2]), cur);
        DifferentiableModel.Gradient g = ctx.gradient(xt, objective, grad, rows);
        boolean[] fooled = new boolean[m];
        double[] lossBest = new double[m], lossLastCheck = new double[m], stepSize = new double[m];
        double[][] losses = new double[steps][];
        boolean[] reducedLast = new boolean[m];
        float alpha = norm == Norm.L1 ? 1f : 2f;
        double[] sparsityOld = new double[m], topk = new double[m];
        for (int i = 0; i < m; i++) {
            lossBest[i] = lossLastCheck[i] = g.loss()[i];
            stepSize[i] = alpha * eps;
            sparsityOld[i] = d;
            topk[i] = 0.2;
        }
        System.arraycopy(cur, 0, best, 0, cur.length);
        System.arraycopy(cur, 0, old, 0, cur.length);
        System.arraycopy(grad, 0, gradBest, 0, grad.length);
        System.arraycopy(cur, 0, out, 0, cur.length);
        markFooled(crit, g.logits(), cur, out, fooled, d);
        int[] checks = norm == Norm.L1 ? everyFourPercent(steps) : checkpoints(steps);
        int next = 0, since = 0;
        for (int t = 0; t < steps; t++) {
            float a = t > 0 ? MOMENTUM : 1f;
            System.arraycopy(cur, 0, z, 0, z.length);
            for (int i = 0; i < m; i++) step(z, grad, i * d, d, norm, (float) stepSize[i], topk[i]);
            project(z, x0, m, d, norm, eps, b);
            for (int j = 0; j < z.length; j++) { // momentum (not for L1): x + a (z - x) + (1 - a) (x - x_old)
                float x = cur[j], prev = old[j];
                old[j] = x;
                cur[j] = norm == Norm.L1 ? z[j] : x + (z[j] - x) * a + (x - prev) * (1 - a);
            }
            project(cur, x0, m, d, norm, eps, b);
            g = ctx.gradient(xt, objective, grad, rows);
            markFooled(crit, g.logits(), cur, out, fooled, d);
            losses[t] = new double[m];
            for (int i = 0; i < m; i++) {
                double l = g.loss()[i];
                losses[t][i] = l;
                if (l > lossBest[i]) {
                    lossBest[i] = l;
                    System.arraycopy(cur, i * d, best, i * d, d);
                    System.arraycopy(grad, i * d, gradBest, i * d, d);
                }
            }
            since++;
            if (next >= checks.length || t + 1 != checks[next]) continue;
            int k = since; // the steps since the last checkpoint
            next++;
            since = 0;
            for (int i = 0; i < m; i++) {
                boolean restart;
                if (norm == Norm.L1) {
                    double sp = l0(best, x0, i * d, d);
                    restart = sp / sparsityOld[i] < 0.95;
                    topk[i] = sp / d / 1.5;
                    stepSize[i] = restart ? alpha * eps : Math.max(alpha * eps / 10, stepSize[i] / 1.5);
                    sparsityOld[i] = sp;
                } else {
                    int rises = 0;
                    for (int c = 0; c < k && t - c - 1 >= 0; c++) if (losses[t - c][i] > losses[t - c - 1][i]) rises++;
                    restart = rises <= k * RHO || (!reducedLast[i] && lossLastCheck[i] >= lossBest[i]);
                    reducedLast[i] = restart;
                    lossLastCheck[i] = lossBest[i];
                    if (restart) stepSize[i] /= 2;
                }
                if (restart) { // continue from the best point, with its gradient
                    System.arraycopy(best, i * d, cur, i * d, d);
                    System.arraycopy(gradBest, i * d, grad, i * d, d);
                }
            }
        }
        for (int i = 0; i < m; i++) if (!fooled[i]) System.arraycopy(best, i * d, out, i * d, d);
        return fooled;
    }

    /**
     * The checkpoints as step counts (1-based): p_1 = 0.22,
     * p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06), as the reference rounds them:
     * 100 steps -> 22, 41, 57, 70, 80, 87, 93, 99.
     */
    static int[] checkpoints(int steps) {
        int k = Math.max((int) (0.22 * steps), 1), kMin = Math.max((int) (0.06 * steps), 1), decr = Math.max((int) (0.03 * steps), 1);
        java.util.List<Integer> c = new java.util.ArrayList<>();
        for (int at = k; at <= steps; k = Math.max(k - decr, kMin), at += k) c.add(at);
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** L1: a check every 4% of the steps. */
    private static int[] everyFourPercent(int steps) {
        int k = Math.max((int) (0.04 * steps), 1);
        int[] c = new int[steps / k];
        for (int i = 0; i < c.length; i++) c[i] = (i + 1) * k;
        return c;
    }

    /** Onto the eps-ball and the box: for L1 the exact Euclidean projection onto their intersection, else ball then clamp. */
    private static void project(float[] x, float[] x0, int m, int d, Norm norm, float eps, Bounds b) {
        if (norm != Norm.L1) {
            norm.project(x, x0, m, d, eps);
            b.clamp(x, 0, x.length);
            return;
        }
        for (int i = 0; i < m; i++) projectL1Box(x, x0, i * d, d, eps, b.lo(), b.hi());
    }

    /**
     * argmin ||z - x|| over ||z - x0||_1 <= eps, lo <= z <= hi (arXiv:2103.01208): per coordinate
     * {@code delta = sign(u) min(max(|u| - lambda, 0), room)} with u = x - x0 and room the distance
     * to the box in that direction; lambda >= 0 found by bisection so that ||delta||_1 = eps.
     */
    static void projectL1Box(float[] x, float[] x0, int off, int d, float eps, float lo, float hi) {
        double max = 0;
        for (int j = off; j < off + d; j++) max = Math.max(max, Math.abs((double) x[j] - x0[j]));
        double lamLo = 0, lamHi = max;
        if (l1At(x, x0, off, d, 0, lo, hi) > eps) {
            for (int it = 0; it < 50; it++) {
                double mid = 0.5 * (lamLo + lamHi);
                if (l1At(x, x0, off, d, mid, lo, hi) > eps) lamLo = mid;
                else lamHi = mid;
            }
        } else lamHi = 0;
        for (int j = off; j < off + d; j++) x[j] = (float) (x0[j] + shrunk(x[j], x0[j], lamHi, lo, hi));
        for (int j = off; j < off + d; j++) x[j] = Math.max(lo, Math.min(hi, x[j]));
    }

    private static double l1At(float[] x, float[] x0, int off, int d, double lam, float lo, float hi) {
        double s = 0;
        for (int j = off; j < off + d; j++) s += Math.abs(shrunk(x[j], x0[j], lam, lo, hi));
        return s;
    }

    private static double shrunk(float xj, float x0j, double lam, float lo, float hi) {
        double u = (double) xj - x0j, room = u > 0 ? (double) hi - x0j : (double) x0j - lo;
        return Math.signum(u) * Math.min(Math.max(Math.abs(u) - lam, 0), Math.max(room, 0));
    }

    /** Random start: Linf x + eps t / max|t| (t uniform), L2 on the eps-sphere, L1 uniform in the ball. */
    private static void start(float[] cur, float[] x0, int m, int d, Norm norm, float eps, SplittableRandom[] rng) {
        if (norm == Norm.L1) {
            norm.randomStart(cur, x0, m, d, eps, rng);
            return;
        }
        for (int i = 0; i < m; i++) {
            int off = i * d;
            double s = 0;
            for (int j = off; j < off + d; j++) {
                double v = norm == Norm.LINF ? 2 * rng[i].nextDouble() - 1 : gaussian(rng[i]);
                cur[j] = (float) v;
                s = norm == Norm.LINF ? Math.max(s, Math.abs(v)) : s + v * v;
            }
            double scale = eps / ((norm == Norm.LINF ? s : Math.sqrt(s)) + 1e-12);
            for (int j = off; j < off + d; j++) cur[j] = (float) (x0[j] + cur[j] * scale);
        }
    }

    /** z += s * the steepest-ascent unit step of g in the norm (L1: along the top-k fraction of |g|, signs spread evenly). */
    private static void step(float[] z, float[] g, int off, int d, Norm norm, float s, double topk) {
        switch (norm) {
            case LINF -> {
                for (int j = off; j < off + d; j++) z[j] += s * Math.signum(g[j]);
            }
            case L2 -> {
                double n = 0;
                for (int j = off; j < off + d; j++) n += (double) g[j] * g[j];
                float f = (float) (s / (Math.sqrt(n) + 1e-12));
                for (int j = off; j < off + d; j++) z[j] += f * g[j];
            }
            default -> {
                float[] a = new float[d];
                for (int j = 0; j < d; j++) a[j] = Math.abs(g[off + j]);
                java.util.Arrays.sort(a);
                float thr = a[(int) Math.max(0, Math.min(d - 1, (long) ((1 - topk) * d)))];
                int c = 0;
                for (int j = off; j < off + d; j++) if (Math.abs(g[j]) >= thr && g[j] != 0) c++;
                float f = (float) (s / (c + 1e-10));
                for (int j = off; j < off + d; j++) if (Math.abs(g[j]) >= thr) z[j] += f * Math.signum(g[j]);
            }
        }
    }

    /** Rows the criterion accepts now: flagged, and their current point kept as the adversarial one. */
    private static void markFooled(Criterion crit, Tensor logits, float[] cur, float[] out, boolean[] fooled, int d) {
        int[] pred = Reductions.argmaxLast(logits);
        for (int i = 0; i < pred.length; i++)
            if (crit.isAdversarial(i, pred[i])) {
                fooled[i] = true;
                System.arraycopy(cur, i * d, out, i * d, d);
            }
    }

    private static double l0(float[] a, float[] x0, int off, int d) {
        int c = 0;
        for (int j = off; j < off + d; j++) if (Math.abs(a[j] - x0[j]) > Norm.L0_TOLERANCE) c++;
        return Math.max(c, 1);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
