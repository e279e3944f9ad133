package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.autograd.Reductions;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * APGD-T: APGD on the targeted DLR loss, once per target class, against the top-k classes other
 * than the true one (ranked by the clean logits), each run only on the examples still robust.
 * Success is untargeted (any wrong class): the targets only steer the loss. With fewer than 4
 * classes the targeted DLR is undefined and the targeted cross-entropy is used instead.
 *
 * <p>Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020, arXiv:2003.01690 (the second attack of AutoAttack).
 * Norms: Linf, L2, L1.
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code norm} (default linf); {@code steps}
 * (default 100 per target); {@code targets} (default 9, at most classes - 1); {@code restarts}
 * (default 1 per target); {@code seed} (default 0). Input x [n, c, h, w]; an untargeted criterion.
 *
 * <pre>{@code
 * Attack apgdT = ApgdT.builder().eps(0.1f).targets(9).build();
 * AttackResult r = apgdT.run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class ApgdT extends AttackBase {
    /** The registry entry: norm (linf), eps (0.1 linf), steps (100), targets (9), restarts (1), seed (0). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("apgd-t", AttackEntry.Eps.REQUIRED,
            "APGD on the targeted DLR loss against each of the top-k other classes",
            List.of(AttackParam.norm("linf", "linf, l2 or l1"), AttackParam.eps("0.1 linf, 1.0 l2, 10 l1", "the radius"),
                    AttackParam.whole("steps", "100", "iterations per target"),
                    AttackParam.whole("targets", "9", "target classes, the highest-scoring first"),
                    AttackParam.whole("restarts", "1", "restarts per target"), AttackParam.seed()), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.whole("steps", b::steps);
                a.whole("targets", b::targets);
                a.whole("restarts", b::restarts);
                a.seed(b::seed);
                return b.build();
            });

    private final int steps, targets, restarts;
    private final long seed;

    private ApgdT(Norm norm, float eps, int steps, int targets, int restarts, long seed) {
        super("apgd-t", norm, eps);
        this.steps = steps;
        this.targets = targets;
        this.restarts = restarts;
        this.seed = seed;
    }

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float e) {
        return builder().norm(norm).eps(e).steps(steps).targets(targets).restarts(restarts).seed(seed).build();
    }

    @Override protected void describe(Map<String, Object> p) {
        p.put("steps", (long) steps);
        p.put("targets", (long) targets);
        p.put("restarts", (long) restarts);
        p.put("seed", seed);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        if (crit.targeted())
            throw new FeintException("apgd-t chooses its own targets: give it an untargeted criterion (or use apgd with a targeted one)");
        int n = x.dim(0), d = ctx.d(), k = ctx.numClasses();
        float[] adv = x.data().clone(), z = ctx.logits(x, null).data();
        int[] pred = Reductions.argmaxLast(new Tensor(dev.feint.tensor.Shape.of(n, k), z)), y = crit.labels();
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) done[i] = crit.isAdversarial(i, pred[i]);
        SplittableRandom[] rng = ctx.randoms(seed);
        int[][] ranked = ranked(z, y, n, k);
        for (int t = 0; t < Math.min(targets, k - 1); t++)
            for (int r = 0; r < restarts; r++) {
                int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> !done[i]).toArray();
                if (rows.length == 0) return new Tensor(x.shape(), adv);
                int[] ys = new int[rows.length], ts = new int[rows.length];
                for (int j = 0; j < rows.length; j++) {
                    ys[j] = y[rows[j]];
                    ts[j] = ranked[rows[j]][t];
                }
                LossFunction objective = k >= 4 ? LossFunction.targetedDlr(ys, ts) : Loss.CROSS_ENTROPY.targeted(ts, ys);
                Apgd.runOn(ctx, x, rows, crit.subset(rows), objective, norm, eps, steps, rng, done, adv, d);
            }
        return new Tensor(x.shape(), adv);
    }

    /** Per row, the classes other than the label by decreasing clean logit (the lower class first at ties). */
    private static int[][] ranked(float[] z, int[] y, int n, int k) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            final int row = i;
            out[i] = java.util.stream.IntStream.range(0, k).filter(c -> c != y[row]).boxed()
                    .sorted((a, b) -> Float.compare(z[row * k + b], z[row * k + a])).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Builds an {@link ApgdT}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Float eps;
        private Norm norm = Norm.LINF;
        private int steps = 100, targets = 9, restarts = 1;
        private long seed;

        private Builder() {}

        /**
         * Sets the radius.
         *
         * @param v the radius, in the units of the norm (required, &gt;= 0)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }

        /**
         * Sets the norm.
         *
         * @param v linf, l2 or l1 (default linf)
         * @return this builder
         */
        public Builder norm(Norm v) { norm = v; return this; }

        /**
         * Sets the iterations per target.
         *
         * @param v iterations, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }

        /**
         * Sets how many of the most likely other classes are targeted in turn.
         *
         * @param v target classes, &gt;= 1, capped at classes - 1 (default 9)
         * @return this builder
         */
        public Builder targets(int v) { targets = v; return this; }

        /**
         * Sets the runs per target.
         *
         * @param v runs, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder restarts(int v) { restarts = v; return this; }

        /**
         * Sets the seed of the random starts.
         *
         * @param v the seed (default 0)
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public ApgdT build() {
            return new ApgdT(Checks.norm("apgd-t", norm, Norm.LINF, Norm.L2, Norm.L1),
                    Checks.eps("apgd-t", Checks.required("apgd-t", "eps", eps)), Checks.steps("apgd-t", steps),
                    Checks.atLeast("apgd-t", "targets", targets, 1), Checks.atLeast("apgd-t", "restarts", restarts, 1), seed);
        }
    }
}
