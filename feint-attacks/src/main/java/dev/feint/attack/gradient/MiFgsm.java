package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Norm;

import java.util.List;

/**
 * MI-FGSM, the momentum iterative method: BIM whose step follows an accumulated gradient
 * {@code g <- decay * g + grad / ||grad||_1}, which stabilises the direction and transfers
 * better to other models. Returns the last iterate.
 *
 * <p>Dong, Liao, Pang, Su, Zhu, Hu and Li, "Boosting Adversarial Attacks with Momentum",
 * CVPR 2018, arXiv:1710.06081. Norm: Linf (L2 also accepted, stepping along g / ||g||_2).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default {@code eps / steps}, the paper's); {@code decay} (default 1.0, > 0);
 * {@code norm} (default linf); {@code loss} (default cross-entropy). Input x [n, c, h, w].
 *
 * <pre>{@code
 * AttackResult r = MiFgsm.builder().eps(0.1f).decay(1f).build().run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class MiFgsm extends LoopAttack {
    private final Float stepSize;

    private MiFgsm(Norm norm, float eps, int steps, Float stepSize, float decay, Loss loss) {
        super("mifgsm", new GradientLoop.Config(norm, eps, stepSize != null ? stepSize : eps / steps, steps, false, 0f, 1, decay,
                false, loss, 1f, 0L));
        this.stepSize = stepSize;
    }

    /** The registry entry: norm (linf), eps (0.1 linf), steps (10), stepSize (eps / steps), decay (1.0), loss (ce). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("mifgsm", AttackEntry.Eps.REQUIRED, "iterated steps with momentum",
            List.of(AttackParam.norm("linf", "linf or l2"), AttackParam.eps("0.1 linf, 1.0 l2", "the radius"),
                    AttackParam.whole("steps", "10", "iterations"), AttackParam.number("stepSize", "eps / steps", "step length"),
                    AttackParam.number("decay", "1.0", "momentum decay mu"), AttackParam.loss("ce")), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.whole("steps", b::steps);
                a.number("stepSize", b::stepSize);
                a.number("decay", b::decay);
                a.loss(b::loss);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) {
        Builder b = builder().norm(norm).eps(eps).steps(config.steps()).decay(config.momentum()).loss(config.loss());
        return (stepSize != null ? b.stepSize(stepSize) : b).build();
    }

    /** Builds an {@link MiFgsm} from the values of {@link IterativeBuilder} and the decay; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends IterativeBuilder<Builder> {
        private float decay = 1f;

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Sets the momentum decay mu.
         *
         * @param decay mu, &gt; 0 (default 1.0)
         * @return this builder
         */
        public Builder decay(float decay) { this.decay = decay; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public MiFgsm build() {
            check("mifgsm");
            return new MiFgsm(norm, eps, steps, stepSize, Checks.positive("mifgsm", "decay", decay), loss);
        }
    }
}
