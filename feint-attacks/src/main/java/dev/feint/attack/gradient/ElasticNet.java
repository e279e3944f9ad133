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
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EAD, elastic-net attack, minimum-norm in L1: minimise {@code c * f(x') + beta * ||x' - x||_1 +
 * ||x' - x||_2^2} with FISTA (a gradient step on the smooth part at the slack point y, the
 * shrinkage-thresholding S_beta projected onto the bounds, then y moved on with momentum
 * k / (k + 3)), the learning rate decaying as sqrt(1 - k / steps), and a per-example binary search
 * over c as in C&amp;W (f is C&amp;W's hinge on the logit margin, see {@link CarliniWagnerL2}).
 * Among the successful iterates it keeps, per example, the one with the smallest elastic-net
 * distance {@code beta * L1 + L2^2} (decision rule {@code en}) or L1 distance ({@code l1}).
 *
 * <p>Chen, Sharma, Zhang, Yi and Hsieh, "EAD: Elastic-Net Attacks to Deep Neural Networks via
 * Adversarial Examples", AAAI 2018, arXiv:1709.04114. Norm: L1. Targeted and untargeted.
 *
 * <p>Parameters: {@code beta} (default 1e-3, the paper's); {@code decisionRule} (default en);
 * {@code steps} (default 1000 per c, the paper's; 100 in ART); {@code binarySearchSteps} (default
 * 9); {@code learningRate} (default 0.01); {@code initialConst} (default 1e-3); {@code confidence}
 * (kappa, default 0); {@code margin} (default {@link DecisionMargin#DEFAULT}). Each step costs one
 * gradient and one forward pass. Examples never fooled are returned unchanged.
 *
 * <pre>{@code
 * Attack ead = ElasticNet.builder().beta(1e-3f).decisionRule("l1").steps(200).build();
 * AttackResult r = ead.run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class ElasticNet extends AttackBase {
    private final int binarySteps, steps;
    private final float beta, lr, initialConst, confidence, margin;
    private final boolean l1Rule;

    private ElasticNet(float beta, boolean l1Rule, int binarySteps, int steps, float lr, float initialConst, float confidence, float margin) {
        super("ead", Norm.L1, Float.NaN);
        this.beta = beta;
        this.l1Rule = l1Rule;
        this.binarySteps = binarySteps;
        this.steps = steps;
        this.lr = lr;
        this.initialConst = initialConst;
        this.confidence = confidence;
        this.margin = margin;
    }

    /** The registry entry (minimum-norm, l1): beta, decisionRule (en), steps (1000), binarySearchSteps (9), learningRate, initialConst, confidence, margin. */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("ead", AttackEntry.Eps.NONE, "minimum-norm elastic-net (L1) attack",
            ConstantSearchBuilder.params(List.of(AttackParam.norm("l1", "l1"), AttackParam.number("beta", "0.001", "weight of the L1 term"),
                    AttackParam.text("decisionRule", "en", "en (elastic-net distance) or l1: which success to keep")),
                    "1000", "FISTA steps per constant", "0.01", "initial step size"), a -> {
                Checks.norm("ead", a.normOr(Norm.L1), Norm.L1);
                Builder b = builder();
                a.number("beta", b::beta);
                a.text("decisionRule", b::decisionRule);
                return b.read(a).build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override protected void describe(Map<String, Object> p) {
        p.put("beta", (double) beta);
        p.put("decisionRule", l1Rule ? "l1" : "en");
        p.put("binarySearchSteps", (long) binarySteps);
        p.put("steps", (long) steps);
        p.put("learningRate", (double) lr);
        p.put("initialConst", (double) initialConst);
        p.put("confidence", (double) confidence);
        p.put("margin", (double) margin);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        int n = x.dim(0), d = ctx.d(), k = ctx.numClasses(), size = n * d;
        Bounds b = ctx.bounds();
        int[] cls = crit.classes();
        LossFunction f = CarliniWagnerL2.hinge(crit, k, confidence, margin);
        float[] x0 = x.data(), xk = new float[size], y = new float[size], grad = new float[size], best = x0.clone();
        double[] c = new double[n], cLo = new double[n], cHi = new double[n], bestDist = new double[n];
        Arrays.fill(c, initialConst);
        Arrays.fill(cHi, 1e10);
        Arrays.fill(bestDist, Double.POSITIVE_INFINITY);
        Tensor yt = new Tensor(x.shape(), y), xt = new Tensor(x.shape(), xk);
        for (int bs = 0; bs < binarySteps; bs++) {
            System.arraycopy(x0, 0, xk, 0, size);
            System.arraycopy(x0, 0, y, 0, size);
            boolean[] fooled = new boolean[n];
            for (int t = 0; t < steps; t++) {
                ctx.gradient(yt, f, grad, null);
                float alpha = (float) (lr * Math.sqrt(1 - (double) t / steps)), mom = (float) t / (t + 3);
                for (int r = 0; r < n; r++) {
                    float cr = (float) c[r];
                    for (int i = r * d; i < (r + 1) * d; i++) { // x_{k+1} = S_beta(y - alpha * grad), then y = x_{k+1} + mom * (x_{k+1} - x_k)
                        float z = y[i] - alpha * (cr * grad[i] + 2 * (y[i] - x0[i])), diff = z - x0[i];
                        float next = diff > beta ? b.clamp(z - beta) : diff < -beta ? b.clamp(z + beta) : x0[i];
                        y[i] = b.clamp(next + mom * (next - xk[i]));
                        xk[i] = next;
                    }
                }
                float[] z = ctx.logits(xt, null).data();
                for (int r = 0; r < n; r++) {
                    if (!DecisionMargin.holds(z, r, k, crit.targeted(), cls[r], margin) || !fRow(z, r, k, crit.targeted(), cls[r])) continue;
                    fooled[r] = true;
                    double l1 = 0, l2 = 0;
                    for (int i = r * d; i < (r + 1) * d; i++) {
                        double v = (double) xk[i] - x0[i];
                        l1 += Math.abs(v);
                        l2 += v * v;
                    }
                    double dist = l1Rule ? l1 : beta * l1 + l2;
                    if (dist < bestDist[r]) {
                        bestDist[r] = dist;
                        System.arraycopy(xk, r * d, best, r * d, d);
                    }
                }
            }
            CarliniWagnerL2.searchConstants(fooled, c, cLo, cHi);
        }
        return new Tensor(x.shape(), best);
    }

    /** The confidence requirement: the criterion's margin lead is at least kappa. */
    private boolean fRow(float[] z, int r, int k, boolean targeted, int cls) {
        return DecisionMargin.win(z, r * k, k, targeted, cls) >= confidence;
    }

    /** Builds an {@link ElasticNet} from beta, the decision rule and the values of {@link ConstantSearchBuilder} (1000 ISTA steps at learning rate 0.01 by default); {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends ConstantSearchBuilder<Builder> {
        private float beta = 1e-3f;
        private String rule = "en";

        private Builder() { super(1000, 0.01f); }

        @Override Builder self() { return this; }

        /**
         * Sets beta, the weight of the L1 term in the elastic-net penalty.
         *
         * @param beta the weight, &gt;= 0 (default 1e-3)
         * @return this builder
         */
        public Builder beta(float beta) { this.beta = beta; return this; }

        /**
         * en (the default) or l1.
         *
         * @param rule en (smallest elastic-net distance) or l1 (smallest L1 distance)
         * @return this builder
         */
        public Builder decisionRule(String rule) { this.rule = rule; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public ElasticNet build() {
            String r = rule == null ? "" : rule.trim().toLowerCase(Locale.ROOT);
            if (!r.equals("en") && !r.equals("l1")) throw ParameterException.invalid("ead", "decisionRule", rule, "en or l1");
            Checks.nonNegative("ead", "beta", beta);
            check("ead");
            return new ElasticNet(beta, r.equals("l1"), binarySteps, steps, lr, initialConst, confidence, margin);
        }
    }
}
