package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.attack.AttackResult;
import dev.feint.model.DifferentiableModel;
import dev.feint.tensor.Tensor;


/**
 * InvFGSM, the inverse fast gradient sign step: {@code x - eps * sign(grad_x J(theta, x, y))},
 * clipped to the bounds. It moves each input <em>toward</em> its label (lower loss, higher
 * confidence), the direction the seed uses as data augmentation; training recipes reuse this
 * object through {@link #perturb(DifferentiableModel, Tensor, int[])}. Its "success" flags
 * still mean misclassification, so on a good model they are mostly false by design.
 *
 * <p>The FGSM step of Goodfellow et al., arXiv:1412.6572, with the sign flipped (cf. Salman
 * et al., "Unadversarial Examples", arXiv:2012.12235). Norm: Linf.
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code loss} (default cross-entropy).
 *
 * <pre>{@code
 * Tensor augmented = InvFgsm.builder().eps(0.05f).build().perturb(model, x, labels);
 * }</pre>
 */
public final class InvFgsm extends LoopAttack {
    private InvFgsm(float eps, Loss loss) {
        super("invfgsm", new GradientLoop.Config(Norm.LINF, eps, eps, 1, false, 0f, 1, 0f, false, loss, -1f, 0L));
    }

    /** The registry entry: eps (default 0.1), loss (ce); norm linf only. */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("invfgsm", AttackEntry.Eps.REQUIRED, "one signed-gradient step toward the label (augmentation)",
            SignStepBuilder.PARAMS, a -> builder().read(a, "invfgsm").build());

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) { return builder().eps(eps).loss(config.loss()).build(); }

    /**
     * The inverse step on a batch with its labels: the augmented inputs only.
     *
     * @param model the model whose gradient is followed
     * @param x the inputs [n, c, h, w]
     * @param labels the true labels
     * @return the inputs moved by {@code -eps * sign(grad)}, inside the bounds
     */
    public Tensor perturb(DifferentiableModel model, Tensor x, int[] labels) {
        AttackResult r = run(model, x, new dev.feint.attack.Misclassification(labels));
        return r.adversarial();
    }

    /** Builds an {@link InvFgsm} from the values of {@link SignStepBuilder}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends SignStepBuilder<Builder> {
        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException when eps is missing or out of range
         */
        public InvFgsm build() { return new InvFgsm(checkedEps("invfgsm"), loss); }
    }
}
