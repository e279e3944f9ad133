package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
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

    /** Builds a {@link Bim} from the values of {@link IterativeBuilder}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends IterativeBuilder<Builder> {
        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Bim build() {
            check("bim");
            return new Bim(norm, eps, steps, stepSize, loss);
        }
    }
}
