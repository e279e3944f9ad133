package dev.feint.attack.gradient;

import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Norm;
import dev.feint.attack.ParameterException;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * FAB, the fast adaptive boundary attack, minimum-norm in Linf, L2 or L1: at the current point
 * x1, linearise every boundary "class j beats the label" with the input Jacobian, take the one
 * nearest in the norm's dual, and project both x1 and the original x onto it inside the box
 * ({@link BoxProjection}); step to the convex combination
 * {@code (1 - alpha)(x1 + eta d1) + alpha (x + eta d2)} with {@code alpha = min(|d1| / (|d1| + |d2|),
 * alphaMax)} (it leans toward x when x1 has wandered off), and once a point is adversarial keep it
 * if smallest so far and shrink back toward x by beta. FAB-T ({@code targets(k)}) linearises only
 * "target t beats the strongest other class" for each of the k classes most likely at x (one run
 * per target); success still means any misclassification, as in AutoAttack. Success needs the
 * wrong class to win by a relative logit margin ({@link DecisionMargin}), and the linearised
 * boundaries are shifted by it, so the result survives a change of engine.
 *
 * <p>Croce and Hein, "Minimally distorted Adversarial Examples with a Fast Adaptive Boundary
 * Attack", ICML 2020, arXiv:1907.02044; constants and restarts as the authors' AutoAttack code.
 *
 * <p>Parameters (defaults): {@code norm} (linf; l2, l1); {@code eps} (none: minimum-norm; when
 * given, success means found within eps, an example stops once it is, and the outputs are inside
 * the eps-ball, as AutoAttack runs it); {@code targets} (0: untargeted, which costs one backward
 * pass per class per step; k &gt; 0: FAB-T over the top k other classes, capped at classes - 1, one
 * backward pass per step); {@code steps} (100 per run); {@code restarts} (1 per target: restart
 * r &gt; 0 starts at a random point at half of min(best found, eps) from x, eps defaulting to
 * 0.3 / 1 / 5 times the bounds' range for linf / l2 / l1); {@code alphaMax} (0.1), {@code eta}
 * (overshoot, 1.05), {@code beta} (backward step, 0.9); {@code margin} (relative logit margin of
 * success, {@link DecisionMargin#DEFAULT}); {@code seed} (0; per-example streams). With a
 * {@link dev.feint.attack.TargetedMisclassification} criterion it attacks the given targets
 * (targets then has no effect: the criterion names the classes). Examples already adversarial, and those never fooled, are returned
 * unchanged.
 *
 * <pre>{@code
 * Fab fab = Fab.builder().norm(Norm.L2).build();                        // minimum-norm FAB
 * AttackResult r = fab.run(model, x, new Misclassification(labels));   // r.l2(): distances found
 * Fab fabT = Fab.builder().norm(Norm.LINF).eps(0.1f).targets(9).build(); // AutoAttack's FAB-T
 * }</pre>
 */
public final class Fab extends AttackBase {
    private final int targets, steps, restarts;
    private final float alphaMax, eta, beta, margin;
    private final long seed;

    private Fab(Norm norm, float eps, int targets, int steps, int restarts, float alphaMax, float eta, float beta, float margin, long seed) {
        super(targets > 0 ? "fab-t" : "fab", norm, eps);
        this.targets = targets;
        this.steps = steps;
        this.restarts = restarts;
        this.alphaMax = alphaMax;
        this.eta = eta;
        this.beta = beta;
        this.margin = margin;
        this.seed = seed;
    }

    /** The registry entry of untargeted FAB: norm (linf), eps (none: minimum-norm), steps (100), restarts (1), margin, seed. */
    public static final AttackEntry ENTRY = entry("fab", 0, "minimum-norm: projections onto the linearised nearest boundary");

    /** The registry entry of FAB-T: as {@link #ENTRY} with targets 9 (AutoAttack's setting). */
    public static final AttackEntry TARGETED_ENTRY = entry("fab-t", 9, "FAB toward each of the top-k other classes in turn");

    private static AttackEntry entry(String name, int k, String summary) {
        return AttackEntry.whiteBox(name, AttackEntry.Eps.OPTIONAL, summary,
                List.of(AttackParam.norm("linf", "linf, l2 or l1"), AttackParam.eps("none (minimum-norm)", "success only within eps"),
                        AttackParam.whole("targets", String.valueOf(k), "0: untargeted; k: the top k other classes"),
                        AttackParam.whole("steps", "100", "iterations per run"),
                        AttackParam.whole("restarts", "1", "runs per target, later ones from random points"),
                        AttackParam.number("alphaMax", "0.1", "largest pull toward the original"),
                        AttackParam.number("eta", "1.05", "overshoot"), AttackParam.number("beta", "0.9", "backward step"),
                        AttackParam.margin(), AttackParam.seed()), a -> {
                    Builder b = builder().targets(k);
                    Norm n = a.normOr(Norm.LINF);
                    b.norm(n);
                    a.eps(n, b::eps);
                    a.whole("targets", b::targets);
                    a.whole("steps", b::steps);
                    a.whole("restarts", b::restarts);
                    a.number("alphaMax", b::alphaMax);
                    a.number("eta", b::eta);
                    a.number("beta", b::beta);
                    a.number("margin", b::margin);
                    a.seed(b::seed);
                    return b.build();
                });
    }

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override public Fab withEps(float e) {
        return new Fab(norm, Checks.eps(name, e), targets, steps, restarts, alphaMax, eta, beta, margin, seed);
    }

    @Override protected void describe(Map<String, Object> p) {
        p.put("targets", (long) targets);
        p.put("steps", (long) steps);
        p.put("restarts", (long) restarts);
        p.put("alphaMax", (double) alphaMax);
        p.put("eta", (double) eta);
        p.put("beta", (double) beta);
        p.put("margin", (double) margin);
        p.put("seed", seed);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        int n = x.dim(0), d = ctx.d(), k = ctx.numClasses();
        float[] x0 = x.data(), out = x0.clone(), z0 = ctx.logits(x, null).data();
        double[] best = new double[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        boolean[] skip = crit.isAdversarial(dev.feint.autograd.Reductions.argmaxLast(Tensor.of(z0, n, k)));
        int[] labels = crit.labels(), given = crit.targeted() ? crit.classes() : null;
        int runs = crit.targeted() || targets == 0 ? 1 : Math.min(targets, k - 1);
        for (int run = 0; run < runs; run++) {
            int[] goal = given != null ? given : targets == 0 ? null : rankedOther(z0, labels, k, run);
            for (int restart = 0; restart < restarts; restart++) {
                int[] rows = open(skip, best, n);
                if (rows.length > 0) single(ctx, x, crit, rows, goal, run * restarts + restart, best, out);
            }
        }
        for (int i = 0; i < n; i++) if (best[i] > eps) System.arraycopy(x0, i * d, out, i * d, d); // with eps: not found within it
        return new Tensor(x.shape(), out);
    }

    /** Examples still to attack: not adversarial at x and, with eps, not yet fooled within it. */
    private int[] open(boolean[] skip, double[] best, int n) {
        int[] r = new int[n];
        int c = 0;
        for (int i = 0; i < n; i++) if (!skip[i] && !(best[i] <= eps)) r[c++] = i;
        return Arrays.copyOf(r, c);
    }

    /** One FAB run over the examples rows (goal: the target per example, or null untargeted). */
    private void single(AttackContext ctx, Tensor like, Criterion crit, int[] rows, int[] goal, int attempt, double[] best, float[] out) {
        int m = rows.length, d = ctx.d(), k = ctx.numClasses();
        Bounds b = ctx.bounds();
        float[] x0 = like.data(), xo = new float[m * d], x1 = new float[m * d];
        for (int j = 0; j < m; j++) System.arraycopy(x0, rows[j] * d, xo, j * d, d);
        System.arraycopy(xo, 0, x1, 0, m * d);
        if (attempt % restarts > 0) randomStart(ctx, xo, x1, rows, best, attempt, b);
        int[] labels = crit.labels(), cls = crit.classes();
        float[] z = goal == null ? null : ctx.logits(DeepFool.gather(x1, range(m), d, like), rows).data(); // for the competitor
        float[] w = new float[m * d], d1 = new float[d], d2 = new float[d], zero = new float[d];
        double[] f = new double[m];
        for (int it = 0; it < steps; it++) {
            int[] act = active(rows, best);
            if (act.length == 0) return;
            int[] sub = new int[act.length];
            for (int p = 0; p < act.length; p++) sub[p] = rows[act[p]];
            boundaries(ctx, like, x1, z, act, sub, labels, goal, w, f);
            for (int j : act) {
                double dot = 0;
                for (int q = 0; q < d; q++) dot += (double) w[j * d + q] * x1[j * d + q];
                double plane = dot - f[j]; // the linearised boundary: w . p = w . x1 - f
                BoxProjection.project(norm, x1, j * d, w, j * d, plane, d, b.lo(), b.hi(), d1, 0);
                BoxProjection.project(norm, xo, j * d, w, j * d, plane, d, b.lo(), b.hi(), d2, 0);
                double a1 = Math.max(norm.measure(d1, zero, 0, d), 1e-8), a2 = Math.max(norm.measure(d2, zero, 0, d), 1e-8);
                float alpha = (float) Math.min(a1 / (a1 + a2), alphaMax);
                for (int q = 0; q < d; q++) {
                    int o = j * d + q;
                    x1[o] = b.clamp((x1[o] + eta * d1[q]) * (1 - alpha) + (xo[o] + eta * d2[q]) * alpha);
                }
            }
            float[] za = ctx.logits(DeepFool.gather(x1, act, d, like), sub).data();
            for (int p = 0; p < act.length; p++) {
                int j = act[p], i = sub[p];
                if (z != null) System.arraycopy(za, p * k, z, j * k, k);
                if (!DecisionMargin.holds(za, p, k, crit.targeted(), cls[i], margin)) continue;
                double size = norm.measure(x1, xo, j * d, d);
                if (size < best[i]) {
                    best[i] = size;
                    System.arraycopy(x1, j * d, out, i * d, d);
                }
                for (int q = j * d; q < (j + 1) * d; q++) x1[q] = xo[q] + beta * (x1[q] - xo[q]);
            }
        }
    }

    /**
     * Per active row j: the nearest linearised boundary as w (its gradient) and f (its value,
     * negative before it is crossed, shifted by the margin so that crossing it means success).
     */
    private void boundaries(AttackContext ctx, Tensor like, float[] x1, float[] zPrev, int[] act, int[] sub, int[] labels, int[] goal,
                            float[] w, double[] f) {
        int d = ctx.d(), k = ctx.numClasses(), a = act.length;
        Tensor xa = DeepFool.gather(x1, act, d, like);
        if (goal != null) { // target t against the strongest other class at x1: one backward pass
            int[] t = new int[a], c = new int[a];
            for (int j = 0; j < a; j++) {
                t[j] = goal[sub[j]];
                c[j] = strongestOther(zPrev, act[j], k, t[j]);
            }
            DifferentiableModel.Gradient g = ctx.gradient(xa, LossFunction.logitDifference(t, c), null, sub);
            float[] z = g.logits().data();
            for (int j = 0; j < a; j++) {
                f[act[j]] = g.loss()[j] - DecisionMargin.gap(z, j * k, k, margin);
                System.arraycopy(g.grad(), j * d, w, act[j] * d, d);
            }
            return;
        }
        int[][] all = new int[a][k];
        for (int[] r : all) Arrays.setAll(r, c -> c);
        DifferentiableModel.Jacobian jac = ctx.jacobianRows(xa, all, sub);
        float[] z = jac.logits().data(), g = jac.grads();
        for (int j = 0; j < a; j++) {
            int y = labels[sub[j]], o = act[j] * d;
            double gap = DecisionMargin.gap(z, j * k, k, margin), bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c == y) continue;
                double fc = (double) z[j * k + c] - z[j * k + y] - gap, dual = 0;
                int gc = (j * k + c) * d, gy = (j * k + y) * d;
                for (int q = 0; q < d; q++) {
                    double v = (double) g[gc + q] - g[gy + q];
                    dual = norm == Norm.LINF ? dual + Math.abs(v) : norm == Norm.L2 ? dual + v * v : Math.max(dual, Math.abs(v));
                }
                double dist = Math.abs(fc) / (1e-12 + (norm == Norm.L2 ? Math.sqrt(dual) : dual));
                if (dist < bestDist) {
                    bestDist = dist;
                    f[act[j]] = fc;
                    for (int q = 0; q < d; q++) w[o + q] = g[gc + q] - g[gy + q];
                }
            }
        }
    }

    /** Restart: x1 = x + a random direction of norm min(best, eps) / 2 (per example stream), clipped to the box. */
    private void randomStart(AttackContext ctx, float[] xo, float[] x1, int[] rows, double[] best, int attempt, Bounds b) {
        int d = xo.length / rows.length;
        double start = Float.isNaN(eps) ? b.range() * (norm == Norm.LINF ? 0.3 : norm == Norm.L2 ? 1 : 5) : eps;
        for (int j = 0; j < rows.length; j++) {
            SplittableRandom r = ctx.random(seed ^ (0xBF58476D1CE4E5B9L * attempt), rows[j]); // (seed, attempt, dataset index)
            float[] t = new float[d];
            double s = 0;
            for (int q = 0; q < d; q++) {
                double g = norm == Norm.LINF ? 2 * r.nextDouble() - 1 : Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                t[q] = (float) g;
                s = norm == Norm.LINF ? Math.max(s, Math.abs(g)) : norm == Norm.L2 ? s + g * g : s + Math.abs(g);
            }
            double scale = 0.5 * Math.min(best[rows[j]], start) / Math.max(norm == Norm.L2 ? Math.sqrt(s) : s, 1e-30);
            for (int q = 0; q < d; q++) x1[j * d + q] = b.clamp((float) (xo[j * d + q] + scale * t[q]));
        }
    }

    /** Rows of this run still searching: all of them minimum-norm; with eps, those not yet fooled within it. */
    private int[] active(int[] rows, double[] best) {
        int[] a = new int[rows.length];
        int c = 0;
        for (int j = 0; j < rows.length; j++) if (!(best[rows[j]] <= eps)) a[c++] = j;
        return Arrays.copyOf(a, c);
    }

    /** The class at rank r + 1 among the others (0: the most likely class other than the label). */
    private static int[] rankedOther(float[] z, int[] labels, int k, int r) {
        int n = labels.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            boolean[] used = new boolean[k];
            used[labels[i]] = true;
            int pick = -1;
            for (int q = 0; q <= r; q++) {
                pick = -1;
                for (int c = 0; c < k; c++) if (!used[c] && (pick < 0 || z[i * k + c] > z[i * k + pick])) pick = c;
                used[pick] = true;
            }
            out[i] = pick;
        }
        return out;
    }

    private static int strongestOther(float[] z, int row, int k, int t) {
        int best = -1;
        for (int c = 0; c < k; c++) if (c != t && (best < 0 || z[row * k + c] > z[row * k + best])) best = c;
        return best;
    }

    private static int[] range(int m) {
        int[] r = new int[m];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** Builds a {@link Fab}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Norm norm = Norm.LINF;
        private Float eps;
        private int targets, steps = 100, restarts = 1;
        private float alphaMax = 0.1f, eta = 1.05f, beta = 0.9f, margin = DecisionMargin.DEFAULT;
        private long seed;

        private Builder() {}

        /**
         * Sets the norm.
         *
         * @param v linf, l2 or l1 (default linf)
         * @return this builder
         */
        public Builder norm(Norm v) { norm = v; return this; }
        /**
         * Success means found within eps, and outputs stay inside the eps-ball (AutoAttack's use); absent: minimum-norm.
         *
         * @param v the radius, in the units of the norm (default none: minimum-norm)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * 0: untargeted; k &gt; 0: FAB-T over the k most likely other classes.
         *
         * @param k target classes, &gt;= 0, capped at classes - 1 (default 0)
         * @return this builder
         */
        public Builder targets(int k) { targets = k; return this; }
        /**
         * Sets the iterations per run.
         *
         * @param v iterations, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }
        /**
         * Runs per target; runs after the first start at random points.
         *
         * @param v runs, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder restarts(int v) { restarts = v; return this; }
        /**
         * Sets alphaMax, the largest weight of the step from the original x.
         *
         * @param v the weight, in [0, 1] (default 0.1)
         * @return this builder
         */
        public Builder alphaMax(float v) { alphaMax = v; return this; }
        /**
         * Sets eta, the overshoot of each projection onto the boundary.
         *
         * @param v the overshoot, &gt;= 1 (default 1.05)
         * @return this builder
         */
        public Builder eta(float v) { eta = v; return this; }
        /**
         * Sets beta, how far an adversarial point is pulled back toward x.
         *
         * @param v the factor, in (0, 1) (default 0.9)
         * @return this builder
         */
        public Builder beta(float v) { beta = v; return this; }
        /**
         * The relative logit margin by which the wrong class must win ({@link DecisionMargin}).
         *
         * @param v the margin, &gt;= 0 (default {@link DecisionMargin#DEFAULT})
         * @return this builder
         */
        public Builder margin(float v) { margin = v; return this; }
        /**
         * Sets the seed of the random restarts.
         *
         * @param v the seed; per-example streams (default 0)
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public Fab build() {
            String a = targets > 0 ? "fab-t" : "fab";
            Norm nm = Checks.norm(a, norm, Norm.LINF, Norm.L2, Norm.L1);
            float e = eps == null ? Float.NaN : Checks.eps(a, eps);
            Checks.atLeast(a, "targets", targets, 0);
            Checks.steps(a, steps);
            Checks.atLeast(a, "restarts", restarts, 1);
            Checks.within(a, "alphaMax", alphaMax, 0f, 1f);
            if (!(eta >= 1 && Float.isFinite(eta))) throw ParameterException.invalid(a, "eta", eta, "a finite number >= 1");
            if (!(beta > 0 && beta < 1)) throw ParameterException.invalid(a, "beta", beta, "a number in (0, 1)");
            return new Fab(nm, e, targets, steps, restarts, alphaMax, eta, beta, DecisionMargin.check(a, margin), seed);
        }
    }
}
