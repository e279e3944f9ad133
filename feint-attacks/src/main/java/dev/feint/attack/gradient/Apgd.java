package dev.feint.attack.gradient;

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
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * APGD, Auto-PGD: PGD whose step size needs no tuning. It starts at 2 eps, is halved at fixed
 * checkpoints whenever the loss stopped rising, restarts from the best point, and moves with
 * momentum 0.75 (see {@link ApgdRun} for the schedule). Restarts run on the examples still
 * robust; per example it returns an adversarial point found, else the highest-loss point of its last run.
 *
 * <p>Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020, arXiv:2003.01690; L1: Croce and Hein, "Mind the box:
 * l1-APGD for sparse adversarial attacks on image classifiers", ICML 2021, arXiv:2103.01208.
 * Norms: Linf, L2, L1. Targeted criteria use the loss's targeted form (DLR: the targeted DLR).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code norm} (default linf); {@code steps}
 * (default 100); {@code restarts} (default 1); {@code loss} (default {@link Loss#CROSS_ENTROPY};
 * {@link Loss#DLR} is AutoAttack's second loss); {@code seed} (default 0; each example's random
 * start comes from (seed, its dataset index)). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack apgd = Apgd.builder().eps(0.1f).loss(Loss.DLR).steps(100).seed(1).build();
 * AttackResult r = apgd.run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class Apgd extends AttackBase {
    /** The registry entry: norm (linf), eps (0.1 linf), steps (100), restarts (1), loss (ce), seed (0). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("apgd", AttackEntry.Eps.REQUIRED,
            "Auto-PGD: step-size halving at checkpoints, momentum, restarts from the best point",
            List.of(AttackParam.norm("linf", "linf, l2 or l1"), AttackParam.eps("0.1 linf, 1.0 l2, 10 l1", "the radius"),
                    AttackParam.whole("steps", "100", "iterations per restart"),
                    AttackParam.whole("restarts", "1", "restarts, on the examples still robust"), AttackParam.loss("ce"),
                    AttackParam.seed()), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.whole("steps", b::steps);
                a.whole("restarts", b::restarts);
                a.loss(b::loss);
                a.seed(b::seed);
                return b.build();
            });

    private final int steps, restarts;
    private final Loss loss;
    private final long seed;

    private Apgd(Norm norm, float eps, int steps, int restarts, Loss loss, long seed) {
        super("apgd", norm, eps);
        this.steps = steps;
        this.restarts = restarts;
        this.loss = loss;
        this.seed = seed;
    }

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float e) {
        return builder().norm(norm).eps(e).steps(steps).restarts(restarts).loss(loss).seed(seed).build();
    }

    @Override protected void describe(Map<String, Object> p) {
        p.put("steps", (long) steps);
        p.put("restarts", (long) restarts);
        p.put("loss", loss.name());
        p.put("seed", seed);
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        int n = x.dim(0), d = ctx.d();
        float[] x0 = x.data(), adv = x0.clone();
        int[] pred = Reductions.argmaxLast(ctx.logits(x, null));
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) done[i] = crit.isAdversarial(i, pred[i]);
        SplittableRandom[] rng = ctx.randoms(seed);
        for (int r = 0; r < restarts; r++) attackRemaining(ctx, x, crit, loss, norm, eps, steps, rng, done, adv);
        return new Tensor(x.shape(), adv);
    }

    /** One APGD run on the rows not yet done, with objective crit.subset(rows).objective(loss); marks and keeps what it breaks. */
    static void attackRemaining(AttackContext ctx, Tensor x, Criterion crit, Loss loss, Norm norm, float eps, int steps,
                                SplittableRandom[] rng, boolean[] done, float[] adv) {
        int d = ctx.d();
        int[] rows = java.util.stream.IntStream.range(0, done.length).filter(i -> !done[i]).toArray();
        if (rows.length == 0) return;
        Criterion sub = crit.subset(rows);
        runOn(ctx, x, rows, sub, sub.objective(loss), norm, eps, steps, rng, done, adv, d);
    }

    /** Runs ApgdRun on {@code rows} with the given objective; copies back its points and marks the rows it broke. */
    static void runOn(AttackContext ctx, Tensor x, int[] rows, Criterion sub, dev.feint.model.LossFunction objective, Norm norm,
                      float eps, int steps, SplittableRandom[] rng, boolean[] done, float[] adv, int d) {
        float[] x0 = x.data(), xs = new float[rows.length * d], out = new float[rows.length * d];
        SplittableRandom[] rs = new SplittableRandom[rows.length];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(x0, rows[j] * d, xs, j * d, d);
            rs[j] = rng[rows[j]];
        }
        int[] shape = {x.dim(1), x.dim(2), x.dim(3)};
        boolean[] ok = ApgdRun.run(ctx, rows, shape, xs, sub, objective, norm, eps, steps, rs, out);
        for (int j = 0; j < rows.length; j++) {
            done[rows[j]] |= ok[j];
            System.arraycopy(out, j * d, adv, rows[j] * d, d);
        }
    }

    /** Builds an {@link Apgd}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Float eps;
        private Norm norm = Norm.LINF;
        private int steps = 100, restarts = 1;
        private Loss loss = Loss.CROSS_ENTROPY;
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
         * Sets the iterations per run.
         *
         * @param v iterations, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }

        /**
         * Sets the runs; each run after the first attacks only the examples still robust.
         *
         * @param v runs, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder restarts(int v) { restarts = v; return this; }

        /**
         * Sets the loss to ascend.
         *
         * @param v the loss (default {@link Loss#CROSS_ENTROPY}; {@link Loss#DLR} is AutoAttack's second)
         * @return this builder
         */
        public Builder loss(Loss v) { loss = v; return this; }

        /**
         * Sets the seed of the random starts.
         *
         * @param v the seed; each example's start comes from (seed, its dataset index) (default 0)
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Apgd build() {
            return new Apgd(Checks.norm("apgd", norm, Norm.LINF, Norm.L2, Norm.L1), Checks.eps("apgd", Checks.required("apgd", "eps", eps)),
                    Checks.steps("apgd", steps), Checks.atLeast("apgd", "restarts", restarts, 1), loss, seed);
        }
    }
}
