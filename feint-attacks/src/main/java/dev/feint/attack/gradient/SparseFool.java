package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Norm;
import dev.feint.autograd.Reductions;
import dev.feint.model.Bounds;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * SparseFool, a sparse (L1-minimising) untargeted attack: at the current point, DeepFool (L2)
 * finds the nearest boundary point x_DF; {@code x_B = x + lambda * (x_DF - x)} moves past it, and
 * the boundary's normal w there (the gradient of the DeepFool class's logit minus the label's)
 * defines a hyperplane; the linear solver then moves one coordinate at a time, largest |w_j|
 * first, just far enough to cross that hyperplane, within the bounds (a coordinate is used once).
 * Repeated from the new point until the label changes; the total perturbation is then scaled by
 * {@code 1 + overshoot}.
 *
 * <p>Modas, Moosavi-Dezfooli and Frossard, "SparseFool: a few pixels make a big difference",
 * CVPR 2019, arXiv:1811.02248. Norm: L1 (minimum-norm; the result is sparse in L0).
 *
 * <p>Parameters: {@code lambda} (default 3, the reference code's; larger is faster and less
 * sparse, >= 1); {@code steps} (default 20 outer iterations); {@code overshoot} (default 0.02);
 * {@code candidates} (default 10, DeepFool's); {@code margin} (default {@link DecisionMargin#DEFAULT}:
 * an example stops, and counts as fooled, only once a wrong class wins by this relative logit
 * margin, as for the other minimum-norm attacks). Examples already misclassified by the margin are
 * returned unchanged. Input x [n, c, h, w].
 *
 * <pre>{@code
 * AttackResult r = SparseFool.builder().lambda(3f).build().run(model, x, new Misclassification(labels));
 * float[] changed = r.l0();
 * }</pre>
 */
public final class SparseFool extends AttackBase {
    private final float lambda, overshoot, margin;
    private final int steps;
    private final DeepFool deepFool;

    private SparseFool(float lambda, int steps, float overshoot, int candidates, float margin) {
        super("sparsefool", Norm.L1, Float.NaN);
        this.lambda = lambda;
        this.margin = margin;
        this.steps = steps;
        this.overshoot = overshoot;
        this.deepFool = DeepFool.builder().norm(Norm.L2).candidates(candidates).margin(margin).build();
    }

    /** The registry entry (minimum-norm, l1, untargeted): lambda (3), steps (20), overshoot (0.02), candidates (10), margin (0.001). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("sparsefool", AttackEntry.Eps.NONE,
            "sparse: DeepFool's boundary normal crossed one coordinate at a time",
            List.of(AttackParam.number("lambda", "3", "how far past DeepFool's boundary point the hyperplane sits (>= 1)"),
                    AttackParam.whole("steps", "20", "outer iterations"), AttackParam.number("overshoot", "0.02", "final relative overshoot"),
                    AttackParam.whole("candidates", "10", "DeepFool's classes considered"), AttackParam.margin()), a -> {
                Builder b = builder();
                a.number("lambda", b::lambda);
                a.whole("steps", b::steps);
                a.number("overshoot", b::overshoot);
                a.whole("candidates", b::candidates);
                a.number("margin", b::margin);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override protected void describe(Map<String, Object> p) {
        p.put("lambda", (double) lambda);
        p.put("steps", (long) steps);
        p.put("overshoot", (double) overshoot);
        p.put("margin", (double) margin);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        if (crit.targeted()) throw new FeintException("sparsefool: targeted attacks are not supported (use jsma or ead)");
        int n = x.dim(0), d = ctx.d();
        Bounds b = ctx.bounds();
        float[] x0 = x.data(), cur = x0.clone();
        int[] labels = crit.labels();
        int k = ctx.numClasses();
        int[] rows = live(DecisionMargin.holds(crit, ctx.logits(x, null).data(), k, margin));
        for (int it = 0; it < steps && rows.length > 0; it++) {
            int m = rows.length;
            Tensor xs = DeepFool.gather(cur, rows, d, x);
            Criterion sub = crit.subset(rows);
            float[] df = deepFool.perturb(ctx, xs, sub).data(), xb = new float[m * d];
            int[] to = Reductions.argmaxLast(ctx.logits(new Tensor(xs.shape(), df), rows));
            int[] lab = Criterion.gather(labels, rows);
            for (int r = 0; r < m; r++) if (to[r] == lab[r]) to[r] = (lab[r] + 1) % k; // DeepFool fell short: any other class
            float[] xsd = xs.data();
            for (int i = 0; i < xb.length; i++) xb[i] = b.clamp(xsd[i] + lambda * (df[i] - xsd[i]));
            float[] w = ctx.gradient(new Tensor(xs.shape(), xb), LossFunction.logitDifference(to, lab), null, rows).grad();
            for (int r = 0; r < m; r++) solve(cur, rows[r] * d, xb, w, r * d, d, b);
            float[] now = ctx.logits(DeepFool.gather(cur, rows, d, x), rows).data();
            int[] next = new int[m];
            int c = 0;
            for (int r = 0; r < m; r++) if (!DecisionMargin.holds(now, r, k, false, labels[rows[r]], margin)) next[c++] = rows[r];
            rows = java.util.Arrays.copyOf(next, c);
        }
        for (int i = 0; i < cur.length; i++) cur[i] = b.clamp(x0[i] + (1 + overshoot) * (cur[i] - x0[i]));
        return new Tensor(x.shape(), cur);
    }

    /**
     * The linear solver: moves x[xo..xo+d) across the hyperplane w . (x - xb) = 0, one coordinate
     * at a time (largest |w_j| first, each once), each just far enough to reach the hyperplane
     * (plus 1e-3 of slack), clipped to the bounds.
     */
    static void solve(float[] x, int xo, float[] xb, float[] w, int wo, int d, Bounds b) {
        double f = 0;
        for (int j = 0; j < d; j++) f += (double) w[wo + j] * (x[xo + j] - xb[wo + j]);
        double side = Math.signum(f), slack = 1e-3 * side;
        if (side == 0) return;
        boolean[] used = new boolean[d];
        while (Math.signum(f) == side) {
            int j = -1;
            for (int t = 0; t < d; t++) if (!used[t] && w[wo + t] != 0 && (j < 0 || Math.abs(w[wo + t]) > Math.abs(w[wo + j]))) j = t;
            if (j < 0) return;
            used[j] = true;
            double pert = Math.max(1e-4, Math.abs(f + slack) / Math.abs(w[wo + j]));
            float before = x[xo + j];
            x[xo + j] = b.clamp((float) (before - side * pert * Math.signum(w[wo + j])));
            f += (double) w[wo + j] * (x[xo + j] - before);
        }
    }

    private static int[] live(boolean[] fooled) {
        int[] out = new int[fooled.length];
        int c = 0;
        for (int i = 0; i < fooled.length; i++) if (!fooled[i]) out[c++] = i;
        return java.util.Arrays.copyOf(out, c);
    }

    /** Builds a {@link SparseFool}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private float lambda = 3f, overshoot = 0.02f, margin = DecisionMargin.DEFAULT;
        private int steps = 20, candidates = 10;

        private Builder() {}

        /**
         * Sets lambda, how far past the linearised boundary each outer step aims (larger: faster, less sparse).
         *
         * @param lambda the factor, &gt;= 1 (default 3)
         * @return this builder
         */
        public Builder lambda(float lambda) { this.lambda = lambda; return this; }

        /**
         * Sets the most outer iterations.
         *
         * @param steps iterations, &gt;= 1 (default 20)
         * @return this builder
         */
        public Builder steps(int steps) { this.steps = steps; return this; }

        /**
         * Sets the overshoot of the final perturbation.
         *
         * @param overshoot the overshoot, &gt;= 0 (default 0.02)
         * @return this builder
         */
        public Builder overshoot(float overshoot) { this.overshoot = overshoot; return this; }

        /**
         * Sets how many of the most likely other classes the inner DeepFool considers.
         *
         * @param candidates classes, &gt;= 1 (default 10)
         * @return this builder
         */
        public Builder candidates(int candidates) { this.candidates = candidates; return this; }

        /**
         * The relative logit margin by which a wrong class must win ({@link DecisionMargin}).
         *
         * @param margin the margin, &gt;= 0 (default {@link DecisionMargin#DEFAULT})
         * @return this builder
         */
        public Builder margin(float margin) { this.margin = margin; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public SparseFool build() {
            if (!(lambda >= 1) || !Float.isFinite(lambda))
                throw dev.feint.attack.ParameterException.invalid("sparsefool", "lambda", lambda, "a finite number >= 1");
            return new SparseFool(lambda, Checks.steps("sparsefool", steps), Checks.nonNegative("sparsefool", "overshoot", overshoot),
                    Checks.atLeast("sparsefool", "candidates", candidates, 1), DecisionMargin.check("sparsefool", margin));
        }
    }
}
