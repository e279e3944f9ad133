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
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Reductions;
import dev.feint.model.Bounds;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * JSMA, the Jacobian-based saliency map attack, sparse (L0) and targeted: at each step, from the
 * gradients of the target logit (alpha) and of the sum of the other logits (beta), it picks the
 * pair of features p, q still in the search domain that maximises {@code -alpha_pq * beta_pq}
 * with {@code s * alpha_pq > 0 > s * beta_pq} (s the sign of theta; when no pair qualifies, the
 * largest {@code s * (alpha_pq - beta_pq)}, as the search would otherwise stop early), moves both by
 * {@code theta * range} (clipped to the bounds) and drops features that reach the bound. It stops
 * at success, when no pair qualifies, or when a fraction {@code gamma} of the features has
 * changed. Untargeted criteria aim at each example's most likely other class (clean logits).
 *
 * <p>Papernot, McDaniel, Jha, Fredrikson, Celik and Swami, "The Limitations of Deep Learning in
 * Adversarial Settings", EuroS&amp;P 2016, arXiv:1511.07528. Norm: L0 (minimum-norm: the changed
 * features are counted, not bounded by an eps).
 *
 * <p>Parameters: {@code theta} (default 1.0: features go to the upper bound; -1 to the lower; the
 * paper's); {@code gamma} (default 0.145, the paper's largest fraction of changed features on
 * MNIST); {@code margin} (default {@link DecisionMargin#DEFAULT}: an example stops, and counts as
 * fooled, only once its class wins by this relative logit margin, as for the other minimum-norm
 * attacks, so the result survives a change of engine). Two gradients per step for the examples still running. Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack jsma = Jsma.builder().theta(1f).gamma(0.1f).build();
 * AttackResult r = jsma.run(model, x, new TargetedMisclassification(targets, labels));
 * }</pre>
 */
public final class Jsma extends AttackBase {
    private final float theta, gamma, margin;

    private Jsma(float theta, float gamma, float margin) {
        super("jsma", Norm.L0, Float.NaN);
        this.theta = theta;
        this.gamma = gamma;
        this.margin = margin;
    }

    /** The registry entry (minimum-norm, l0): theta (1.0), gamma (0.145), margin (0.001). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("jsma", AttackEntry.Eps.NONE,
            "sparse: saliency-map pairs of features pushed to a bound",
            List.of(AttackParam.number("theta", "1.0", "change per feature, as a fraction of the range (sign: direction)"),
                    AttackParam.number("gamma", "0.145", "largest fraction of features changed"), AttackParam.margin()), a -> {
                Builder b = builder();
                a.number("theta", b::theta);
                a.number("gamma", b::gamma);
                a.number("margin", b::margin);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override protected void describe(Map<String, Object> p) {
        p.put("theta", (double) theta);
        p.put("gamma", (double) gamma);
        p.put("margin", (double) margin);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        int n = x.dim(0), d = ctx.d(), k = ctx.numClasses();
        Bounds b = ctx.bounds();
        float s = Math.signum(theta), step = theta * b.range();
        float[] cur = x.data().clone();
        Tensor z0 = ctx.logits(x, null);
        int[] target = crit.targeted() ? crit.classes() : DeepFool.topOthersOf(z0, crit.labels());
        int[] cls = crit.classes();
        boolean[] domain = new boolean[n * d], done = DecisionMargin.holds(crit, z0.data(), k, margin);
        int[] changed = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = i * d; j < (i + 1) * d; j++) domain[j] = s > 0 ? cur[j] < b.hi() : cur[j] > b.lo();
        }
        int budget = (int) Math.floor(gamma * d);
        int[] idx = new int[d];
        float[] al = new float[d], be = new float[d];
        while (true) {
            int m = 0;
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) if (!done[i] && changed[i] + 2 <= Math.max(2, budget)) rows[m++] = i;
            if (m == 0) break;
            rows = java.util.Arrays.copyOf(rows, m);
            Tensor xs = DeepFool.gather(cur, rows, d, x);
            int[] t = Criterion.gather(target, rows);
            float[] gt = ctx.gradient(xs, column(t, k), null, rows).grad().clone();
            float[] gAll = ctx.gradient(xs, z -> Reductions.sum(z, 1, false), null, rows).grad();
            for (int r = 0; r < m; r++) {
                int i = rows[r], off = i * d, go = r * d;
                int live = 0;
                for (int u = 0; u < d; u++)
                    if (domain[off + u]) {
                        idx[live] = u;
                        al[live] = gt[go + u];
                        be[live++] = gAll[go + u] - gt[go + u];
                    }
                int[] pq = pair(al, be, live, s);
                int p = pq[0] < 0 ? -1 : idx[pq[0]], q = pq[0] < 0 ? -1 : idx[pq[1]];
                if (p < 0) { // fewer than two features left: the search is over for this example
                    done[i] = true;
                    continue;
                }
                for (int f : new int[] {p, q}) {
                    int j = off + f;
                    cur[j] = b.clamp(cur[j] + step);
                    if (s > 0 ? cur[j] >= b.hi() : cur[j] <= b.lo()) domain[j] = false;
                }
                changed[i] += 2;
            }
            float[] now = ctx.logits(DeepFool.gather(cur, rows, d, x), rows).data();
            for (int r = 0; r < m; r++) if (DecisionMargin.holds(now, r, k, crit.targeted(), cls[rows[r]], margin)) done[rows[r]] = true;
        }
        return new Tensor(x.shape(), cur);
    }

    /**
     * The pair (indices into al/be) with the largest {@code -alpha * beta} among those with
     * {@code s * alpha > 0 > s * beta}, the paper's rule; when none qualifies, the pair with the
     * largest {@code s * (alpha - beta)} (still toward the target); {-1, -1} when fewer than two remain.
     */
    static int[] pair(float[] al, float[] be, int m, float s) {
        int p = -1, q = -1, fp = -1, fq = -1;
        double best = 0, fallback = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < m; u++) {
            float au = al[u], bu = be[u];
            for (int v = u + 1; v < m; v++) {
                double a = au + al[v], b = bu + be[v];
                if (s * a > 0 && s * b < 0) {
                    if (-a * b > best) {
                        best = -a * b;
                        p = u;
                        q = v;
                    }
                } else if (p < 0 && s * (a - b) > fallback) {
                    fallback = s * (a - b);
                    fp = u;
                    fq = v;
                }
            }
        }
        return p >= 0 ? new int[] {p, q} : new int[] {fp, fq};
    }

    /** z[i, t[i]] per row, differentiable. */
    private static LossFunction column(int[] t, int k) {
        float[] onehot = new float[t.length * k];
        for (int i = 0; i < t.length; i++) onehot[i * k + t[i]] = 1f;
        Tensor oh = Tensor.of(onehot, t.length, k);
        return z -> Reductions.sum(Elementwise.mul(z, oh), 1, false);
    }

    /** Builds a {@link Jsma}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private float theta = 1f, gamma = 0.145f, margin = DecisionMargin.DEFAULT;

        private Builder() {}

        /**
         * Sets theta, the change of each selected feature.
         *
         * @param theta 1.0 moves features to the upper bound, -1 to the lower (default 1.0)
         * @return this builder
         */
        public Builder theta(float theta) { this.theta = theta; return this; }

        /**
         * Sets gamma, the largest fraction of features changed.
         *
         * @param gamma the fraction, in (0, 1] (default 0.145)
         * @return this builder
         */
        public Builder gamma(float gamma) { this.gamma = gamma; return this; }

        /**
         * The relative logit margin by which the target (untargeted: a wrong class) must win ({@link DecisionMargin}).
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
        public Jsma build() {
            if (!(theta != 0 && theta >= -1 && theta <= 1)) throw ParameterException.invalid("jsma", "theta", theta, "a number in [-1, 1] other than 0");
            return new Jsma(theta, Checks.within("jsma", "gamma", gamma, 0f, 1f), DecisionMargin.check("jsma", margin));
        }
    }
}
