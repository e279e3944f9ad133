package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;


/**
 * FGSM, the fast gradient sign method.
 *
 * <p>Goodfellow, Shlens and Szegedy, "Explaining and Harnessing Adversarial Examples",
 * ICLR 2015, arXiv:1412.6572. Norm: Linf. One step of the shared gradient loop:
 * {@code x_adv = clip(x + eps * sign(grad_x J(theta, x, y)))}, clipped to the model's bounds;
 * with a {@link dev.feint.attack.TargetedMisclassification} it descends the target's loss,
 * {@code x - eps * sign(grad_x J(theta, x, t))}.
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code loss} (default cross-entropy; margin
 * makes the step move the top-other-minus-true logit gap by exactly {@code eps*||w_j - w_y||_1}
 * on a linear model). Input x [n, c, h, w] inside {@code model.bounds()}.
 *
 * <pre>{@code
 * AttackResult r = Fgsm.builder().eps(0.1f).build().run(model, x, new Misclassification(labels));
 * }</pre>
 */
public final class Fgsm extends LoopAttack {
    private Fgsm(float eps, Loss loss) {
        super("fgsm", new GradientLoop.Config(Norm.LINF, eps, eps, 1, false, 0f, 1, 0f, false, loss, 1f, 0L));
    }

    /** The registry entry: eps (default 0.1), loss (ce); norm linf only. */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("fgsm", AttackEntry.Eps.REQUIRED, "one signed-gradient step",
            SignStepBuilder.PARAMS, a -> builder().read(a, "fgsm").build());

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) { return builder().eps(eps).loss(config.loss()).build(); }

    /** Builds an {@link Fgsm} from the values of {@link SignStepBuilder}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends SignStepBuilder<Builder> {
        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException when eps is missing or out of range
         */
        public Fgsm build() { return new Fgsm(checkedEps("fgsm"), loss); }
    }
}
