package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Norm;

import java.util.List;

/**
 * BIM / I-FGSM, the basic iterative method: FGSM repeated with a small step, projected back
 * into the eps-ball and the bounds after every step; returns the last iterate.
 *
 * <p>Kurakin, Goodfellow and Bengio, "Adversarial examples in the physical world", ICLR 2017
 * workshop, arXiv:1607.02533. Norm: Linf (L2 also accepted). No random start.
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10, >= 1);
 * {@code stepSize} (default {@code 0.2 * eps}, Foolbox's choice, so 10 steps travel 2 eps);
 * {@code norm} (default linf); {@code loss} (default cross-entropy). Input x [n, c, h, w].
 *
 * <pre>{@code
 * AttackResult r = Bim.builder().eps(0.1f).steps(10).build().run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class Bim extends LoopAttack {
    private final Float stepSize;

    private Bim(Norm norm, float eps, int steps, Float stepSize, Loss loss) {
        super("bim", new GradientLoop.Config(norm, eps, stepSize != null ? stepSize : 0.2f * eps, steps, false, 0f, 1, 0f,
                false, loss, 1f, 0L));
        this.stepSize = stepSize;
    }

    /** The registry entry: norm (linf), eps (0.1 linf), steps (10), stepSize (eps / 5), loss (ce). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("bim", AttackEntry.Eps.REQUIRED, "iterated gradient steps from x",
            List.of(AttackParam.norm("linf", "linf or l2"), AttackParam.eps("0.1 linf, 1.0 l2", "the radius"),
                    AttackParam.whole("steps", "10", "iterations"), AttackParam.number("stepSize", "eps / 5", "step length"),
                    AttackParam.loss("ce")), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.whole("steps", b::steps);
                a.number("stepSize", b::stepSize);
                a.loss(b::loss);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) {
        Builder b = builder().norm(norm).eps(eps).steps(config.steps()).loss(config.loss());
        return (stepSize != null ? b.stepSize(stepSize) : b).build();
    }

    /** Builds a {@link Bim}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Float eps, stepSize;
        private int steps = 10;
        private Norm norm = Norm.LINF;
        private Loss loss = Loss.CROSS_ENTROPY;

        private Builder() {}

        /**
         * Sets the radius.
         *
         * @param eps the radius, in the units of the norm (required, &gt;= 0)
         * @return this builder
         */
        public Builder eps(float eps) { this.eps = eps; return this; }

        /**
         * Sets the iterations.
         *
         * @param steps iterations, &gt;= 1 (default 10)
         * @return this builder
         */
        public Builder steps(int steps) { this.steps = steps; return this; }

        /**
         * Sets the step length.
         *
         * @param stepSize the length of each step, &gt; 0 (default {@code 0.2 * eps})
         * @return this builder
         */
        public Builder stepSize(float stepSize) { this.stepSize = stepSize; return this; }

        /**
         * Sets the norm.
         *
         * @param norm linf or l2 (default linf)
         * @return this builder
         */
        public Builder norm(Norm norm) { this.norm = norm; return this; }

        /**
         * Sets the loss to ascend.
         *
         * @param loss the loss (default {@link Loss#CROSS_ENTROPY})
         * @return this builder
         */
        public Builder loss(Loss loss) { this.loss = loss; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Bim build() {
            if (stepSize != null) Checks.positive("bim", "stepSize", stepSize);
            return new Bim(Checks.norm("bim", norm, Norm.LINF, Norm.L2), Checks.eps("bim", Checks.required("bim", "eps", eps)),
                    Checks.steps("bim", steps), stepSize, loss);
        }
    }
}
