package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.FeintException;
import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Norm;
import dev.feint.autograd.Reductions;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * DeepFool, a minimum-norm attack: linearise the classifier around the current point, step to
 * the nearest linearised decision boundary among the {@code candidates} most likely other
 * classes, repeat until the label changes, then overshoot slightly. Untargeted only.
 *
 * <p>Moosavi-Dezfooli, Fawzi and Frossard, "DeepFool: a simple and accurate method to fool deep
 * neural networks", CVPR 2016, arXiv:1511.04599. Norms: L2 (step {@code |f|/||w||_2^2 * w}) and
 * Linf (step {@code |f|/||w||_1 * sign(w)}).
 *
 * <p>Parameters: {@code norm} (default l2); {@code steps} (default 50); {@code candidates}
 * (default 10, capped at classes - 1; each costs one backward pass per step);
 * {@code overshoot} (default 0.02); {@code margin} (default {@link DecisionMargin#DEFAULT}: a row
 * stops only once the wrong class wins by this relative logit margin, and each step aims at that
 * margin rather than at the boundary itself, so the result survives a change of engine). Input
 * x [n, c, h, w]; examples already misclassified are returned unchanged.
 *
 * <pre>{@code
 * AttackResult r = DeepFool.builder().norm(Norm.L2).build().run(model, x, new Misclassification(labels));
 * float[] l2 = r.l2(); // per-example minimal perturbation found
 * }</pre>
 */
public final class DeepFool extends AttackBase {
    private final int steps, candidates;
    private final float overshoot, margin;

    private DeepFool(Norm norm, int steps, int candidates, float overshoot, float margin) {
        super("deepfool", norm, Float.NaN);
        this.steps = steps;
        this.candidates = candidates;
        this.overshoot = overshoot;
        this.margin = margin;
    }

    /** The registry entry (minimum-norm): norm (l2), steps (50), candidates (10), overshoot (0.02), margin (0.001). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("deepfool", AttackEntry.Eps.NONE,
            "minimum-norm: steps to the linearised nearest boundary",
            List.of(AttackParam.norm("l2", "l2 or linf"), AttackParam.whole("steps", "50", "iterations"),
                    AttackParam.whole("candidates", "10", "classes considered (highest logits)"),
                    AttackParam.number("overshoot", "0.02", "relative overshoot past the boundary"), AttackParam.margin()), a -> {
                Builder b = builder();
                a.norm(b::norm);
                a.whole("steps", b::steps);
                a.whole("candidates", b::candidates);
                a.number("overshoot", b::overshoot);
                a.number("margin", b::margin);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override protected void describe(Map<String, Object> p) {
        p.put("steps", (long) steps);
        p.put("candidates", (long) candidates);
        p.put("overshoot", (double) overshoot);
        p.put("margin", (double) margin);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        if (crit.targeted()) throw new FeintException("deepfool: targeted attacks are not supported (use pgd or cw)");
        int n = x.dim(0), d = ctx.d(), k = ctx.numClasses(), q = Math.min(candidates, k - 1);
        int[] labels = crit.labels();
        float[] x0 = x.data(), cur = x0.clone(), rtot = new float[n * d];
        Tensor z0 = ctx.logits(x, null);
        int[][] cand = topOthers(z0, labels, q);
        int[] rows = still(crit, Reductions.argmaxLast(z0), null, null);
        for (int step = 0; step < steps && rows.length > 0; step++) {
            int m = rows.length;
            Tensor xa = gather(cur, rows, d, x);
            int[] lab = Criterion.gather(labels, rows);
            double[] bestDist = new double[m], bestF = new double[m], bestNorm = new double[m];
            java.util.Arrays.fill(bestDist, Double.POSITIVE_INFINITY);
            float[] grad = new float[m * d], bestW = new float[m * d];
            boolean[] done = new boolean[m];
            double[] gap = new double[m];
            for (int j = 0; j < q; j++) {
                int[] cj = new int[m];
                for (int i = 0; i < m; i++) cj[i] = cand[rows[i]][j];
                DifferentiableModel.Gradient g = ctx.gradient(xa, LossFunction.logitDifference(cj, lab), grad, rows);
                if (j == 0) { // the wrong class already wins by the margin at this point: stop moving these rows
                    float[] z = g.logits().data();
                    for (int i = 0; i < m; i++) {
                        done[i] = DecisionMargin.holds(z, i, k, false, lab[i], margin);
                        gap[i] = DecisionMargin.gap(z, i * k, k, margin);
                    }
                }
                for (int i = 0; i < m; i++) {
                    double w = 0, w1 = 0;
                    for (int t = i * d; t < (i + 1) * d; t++) {
                        w += (double) grad[t] * grad[t];
                        w1 += Math.abs(grad[t]);
                    }
                    double dual = norm == Norm.L2 ? Math.sqrt(w) : w1;
                    double need = Math.max(gap[i] - g.loss()[i], 0), dist = need / (dual + 1e-12); // to z_c - z_y = gap
                    if (dist < bestDist[i]) {
                        bestDist[i] = dist;
                        bestF[i] = need;
                        bestNorm[i] = norm == Norm.L2 ? w : w1;
                        System.arraycopy(grad, i * d, bestW, i * d, d);
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                if (done[i]) continue;
                double scale = (bestF[i] + 1e-4) / (bestNorm[i] + 1e-12);
                int o = rows[i] * d;
                for (int t = 0; t < d; t++) {
                    float w = bestW[i * d + t];
                    rtot[o + t] += (float) (norm == Norm.L2 ? scale * w : scale * Math.signum(w));
                    cur[o + t] = ctx.bounds().clamp(x0[o + t] + (1 + overshoot) * rtot[o + t]);
                }
            }
            rows = still(crit, null, rows, done);
        }
        return new Tensor(x.shape(), cur);
    }

    /** Rows not yet adversarial: from predictions of all rows, or the not-done part of rows. */
    private static int[] still(Criterion crit, int[] pred, int[] rows, boolean[] done) {
        int m = pred != null ? pred.length : rows.length, c = 0;
        int[] out = new int[m];
        for (int i = 0; i < m; i++)
            if (pred != null ? !crit.isAdversarial(i, pred[i]) : !done[i]) out[c++] = pred != null ? i : rows[i];
        return java.util.Arrays.copyOf(out, c);
    }

    private static int[][] topOthers(Tensor logits, int[] labels, int q) {
        int n = logits.dim(0), k = logits.dim(1);
        float[] z = logits.data();
        int[][] out = new int[n][q];
        for (int i = 0; i < n; i++) {
            boolean[] used = new boolean[k];
            used[labels[i]] = true;
            for (int j = 0; j < q; j++) {
                int best = -1;
                for (int c = 0; c < k; c++) if (!used[c] && (best < 0 || z[i * k + c] > z[i * k + best])) best = c;
                used[best] = true;
                out[i][j] = best;
            }
        }
        return out;
    }

    /**
     * The most likely class other than the label, per row of logits (also the linear explanation's second class).
     *
     * @param logits the logits [n, classes]
     * @param labels the class to exclude, per row
     * @return the index of the highest logit other than the label, per row
     */
    public static int[] topOthersOf(Tensor logits, int[] labels) {
        int[][] t = topOthers(logits, labels, 1);
        int[] o = new int[t.length];
        for (int i = 0; i < o.length; i++) o[i] = t[i][0];
        return o;
    }

    static Tensor gather(float[] a, int[] rows, int d, Tensor like) {
        float[] o = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(a, rows[i] * d, o, i * d, d);
        return Tensor.of(o, rows.length, like.dim(1), like.dim(2), like.dim(3));
    }

    /** Builds a {@link DeepFool}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Norm norm = Norm.L2;
        private int steps = 50, candidates = 10;
        private float overshoot = 0.02f, margin = DecisionMargin.DEFAULT;

        private Builder() {}

        /**
         * Sets the norm.
         *
         * @param norm l2 or linf (default l2)
         * @return this builder
         */
        public Builder norm(Norm norm) { this.norm = norm; return this; }

        /**
         * Sets the most linearisation steps.
         *
         * @param steps steps, &gt;= 1 (default 50)
         * @return this builder
         */
        public Builder steps(int steps) { this.steps = steps; return this; }

        /**
         * Sets how many of the most likely other classes each step considers.
         *
         * @param candidates classes, &gt;= 1, capped at classes - 1 (default 10)
         * @return this builder
         */
        public Builder candidates(int candidates) { this.candidates = candidates; return this; }

        /**
         * Sets the overshoot: the final perturbation is scaled by (1 + overshoot).
         *
         * @param overshoot the overshoot, &gt;= 0 (default 0.02)
         * @return this builder
         */
        public Builder overshoot(float overshoot) { this.overshoot = overshoot; return this; }

        /**
         * The relative logit margin by which the wrong class must win ({@link DecisionMargin}).
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
        public DeepFool build() {
            return new DeepFool(Checks.norm("deepfool", norm, Norm.L2, Norm.LINF), Checks.steps("deepfool", steps),
                    Checks.atLeast("deepfool", "candidates", candidates, 1), Checks.nonNegative("deepfool", "overshoot", overshoot),
                    DecisionMargin.check("deepfool", margin));
        }
    }
}
