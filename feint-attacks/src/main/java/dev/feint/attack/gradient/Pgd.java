package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Norm;

import java.util.List;

/**
 * PGD, projected gradient descent on the negative loss, from a random start, with restarts;
 * per example it keeps the best iterate seen over all steps and restarts (a successful one
 * first, then the highest objective), so more steps or restarts never make the attack weaker.
 *
 * <p>Madry, Makelov, Schmidt, Tsipras and Vladu, "Towards Deep Learning Models Resistant to
 * Adversarial Attacks", ICLR 2018, arXiv:1706.06083. Norms: Linf, L2 and L1 (L1 steps move the
 * top 1% coordinates, as in Tramer and Boneh 2019, arXiv:1904.13000).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code norm} (default linf); {@code steps}
 * (default 40); {@code stepSize} (default {@code 2.5 * eps / steps}, Madry's rule);
 * {@code randomStart} (default true, uniform in the ball); {@code restarts} (default 1);
 * {@code loss} (default {@link Loss#CROSS_ENTROPY}); {@code seed} (default 0; each example's start comes from
 * (seed, its dataset index)); {@code gaussianStart} (default off); {@code keepBest} (default true). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack pgd = Pgd.builder().eps(0.1f).steps(40).restarts(2).seed(7).build();
 * AttackResult r = pgd.run(model, x, new TargetedMisclassification(targets, labels));
 * }</pre>
 */
public final class Pgd extends LoopAttack {
    private final Float stepSize;

    private Pgd(Norm norm, float eps, int steps, Float stepSize, boolean randomStart, float gaussianStart, int restarts,
                boolean keepBest, Loss loss, long seed) {
        super("pgd", new GradientLoop.Config(norm, eps, stepSize != null ? stepSize : 2.5f * eps / steps, steps, randomStart,
                gaussianStart, restarts, 0f, keepBest, loss, 1f, seed));
        this.stepSize = stepSize;
    }

    /** The registry entry: norm (linf), eps (0.1 linf), steps (40), stepSize (2.5 eps / steps), restarts (1), loss (ce), seed (0). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("pgd", AttackEntry.Eps.REQUIRED,
            "projected gradient ascent from a random start, with restarts",
            List.of(AttackParam.norm("linf", "linf, l2 or l1"), AttackParam.eps("0.1 linf, 1.0 l2, 10 l1", "the radius"),
                    AttackParam.whole("steps", "40", "iterations per restart"),
                    AttackParam.number("stepSize", "2.5 * eps / steps", "step length"),
                    AttackParam.whole("restarts", "1", "random restarts; the best per example is kept"),
                    AttackParam.flag("randomStart", "true", "start uniformly in the ball"), AttackParam.loss("ce"),
                    AttackParam.seed()), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.whole("steps", b::steps);
                a.number("stepSize", b::stepSize);
                a.whole("restarts", b::restarts);
                a.flag("randomStart", b::randomStart);
                a.loss(b::loss);
                a.seed(b::seed);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) {
        GradientLoop.Config c = config;
        Builder b = builder().norm(norm).eps(eps).steps(c.steps()).randomStart(c.randomStart()).restarts(c.restarts())
                .loss(c.loss()).seed(c.seed()).keepBest(c.keepBest());
        if (c.gaussianStart() > 0) b.gaussianStart(c.gaussianStart());
        return (stepSize != null ? b.stepSize(stepSize) : b).build();
    }

    /** Builds a {@link Pgd}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Float eps, stepSize;
        private int steps = 40, restarts = 1;
        private boolean randomStart = true, keepBest = true;
        private float gaussianStart;
        private Norm norm = Norm.LINF;
        private Loss loss = Loss.CROSS_ENTROPY;
        private long seed;

        private Builder() {}

        /**
         * Sets the radius.
         *
         * @param eps the radius, in the units of the norm (required, &gt;= 0)
         * @return this builder
         */
        public Builder eps(float eps) { this.eps = eps; return this; }

        /**
         * Sets the norm.
         *
         * @param norm linf, l2 or l1 (default linf)
         * @return this builder
         */
        public Builder norm(Norm norm) { this.norm = norm; return this; }

        /**
         * Sets the iterations per restart.
         *
         * @param steps iterations, &gt;= 1 (default 40)
         * @return this builder
         */
        public Builder steps(int steps) { this.steps = steps; return this; }

        /**
         * Sets the step length.
         *
         * @param stepSize the length of each step, &gt; 0 (default {@code 2.5 * eps / steps})
         * @return this builder
         */
        public Builder stepSize(float stepSize) { this.stepSize = stepSize; return this; }

        /**
         * Sets whether to start at a uniform random point of the ball rather than at x.
         *
         * @param on true to start at random (default true)
         * @return this builder
         */
        public Builder randomStart(boolean on) { this.randomStart = on; return this; }

        /**
         * Start from x + sigma * N(0, 1) (projected) instead of uniformly in the ball, as TRADES does with 0.001.
         *
         * @param sigma the standard deviation of the start's noise, &gt;= 0 (default 0: off)
         * @return this builder
         */
        public Builder gaussianStart(float sigma) { this.gaussianStart = sigma; this.randomStart = true; return this; }

        /**
         * false returns the last iterate (Madry's PGD, TRADES) instead of the best one seen.
         *
         * @param on true to keep the best iterate (default true)
         * @return this builder
         */
        public Builder keepBest(boolean on) { this.keepBest = on; return this; }

        /**
         * Sets the random restarts; the best result per example is kept.
         *
         * @param restarts runs, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder restarts(int restarts) { this.restarts = restarts; return this; }

        /**
         * Sets the loss to ascend.
         *
         * @param loss the loss (default {@link Loss#CROSS_ENTROPY})
         * @return this builder
         */
        public Builder loss(Loss loss) { this.loss = loss; return this; }

        /**
         * Sets the seed of the random starts.
         *
         * @param seed the seed; each example's start comes from (seed, its dataset index) (default 0)
         * @return this builder
         */
        public Builder seed(long seed) { this.seed = seed; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Pgd build() {
            if (stepSize != null) Checks.positive("pgd", "stepSize", stepSize);
            Checks.nonNegative("pgd", "gaussianStart", gaussianStart);
            return new Pgd(Checks.norm("pgd", norm, Norm.LINF, Norm.L2, Norm.L1), Checks.eps("pgd", Checks.required("pgd", "eps", eps)),
                    Checks.steps("pgd", steps), stepSize, randomStart, gaussianStart, Checks.atLeast("pgd", "restarts", restarts, 1),
                    keepBest, loss, seed);
        }
    }
}
