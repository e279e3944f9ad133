package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Norm;

import java.util.List;

/**
 * FGM, the fast gradient method in L2 (one full step along the normalised gradient).
 *
 * <p>Goodfellow, Shlens and Szegedy, "Explaining and Harnessing Adversarial Examples",
 * ICLR 2015, arXiv:1412.6572 (the L2 form of the fast gradient step, as in CleverHans and
 * Foolbox). Norm: L2 (L1 also accepted). {@code x_adv = clip(x + eps * g / ||g||_2)} with
 * {@code g = grad_x J(theta, x, y)}; targeted: descends the target's loss.
 *
 * <p>Parameters: {@code eps} (required, >= 0, an L2 radius); {@code norm} (default l2);
 * {@code loss} (default cross-entropy). Input x [n, c, h, w] inside {@code model.bounds()}.
 *
 * <pre>{@code
 * AttackResult r = Fgm.builder().eps(1.5f).build().run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class Fgm extends LoopAttack {
    private Fgm(Norm norm, float eps, Loss loss) {
        super("fgm", new GradientLoop.Config(norm, eps, eps, 1, false, 0f, 1, 0f, false, loss, 1f, 0L));
    }

    /** The registry entry: norm (l2), eps (1.0 l2, 10 l1), loss (ce). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("fgm", AttackEntry.Eps.REQUIRED, "one normalised-gradient step",
            List.of(AttackParam.norm("l2", "l2 or l1"), AttackParam.eps("1.0 l2, 10 l1", "the radius"), AttackParam.loss("ce")), a -> {
                Builder b = builder();
                a.normAndEps(Norm.L2, b::norm, b::eps);
                a.loss(b::loss);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) { return builder().norm(norm).eps(eps).loss(config.loss()).build(); }

    /** Builds an {@link Fgm}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private Float eps;
        private Norm norm = Norm.L2;
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
         * Sets the norm.
         *
         * @param norm l2 or l1 (default l2)
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
        public Fgm build() {
            return new Fgm(Checks.norm("fgm", norm, Norm.L2, Norm.L1), Checks.eps("fgm", Checks.required("fgm", "eps", eps)), loss);
        }
    }
}
