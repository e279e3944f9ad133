package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackLoss;
import dev.feint.attack.Checks;
import dev.feint.attack.Norm;

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

    private Bim(Norm norm, float eps, int steps, Float stepSize, AttackLoss loss) {
        super("bim", new GradientLoop.Config(norm, eps, stepSize != null ? stepSize : 0.2f * eps, steps, false, 1, 0f,
                false, loss, 1f, 0L));
        this.stepSize = stepSize;
    }

    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float eps) {
        Builder b = builder().norm(norm).eps(eps).steps(config.steps()).loss(config.loss());
        return (stepSize != null ? b.stepSize(stepSize) : b).build();
    }

    public static final class Builder {
        private Float eps, stepSize;
        private int steps = 10;
        private Norm norm = Norm.LINF;
        private AttackLoss loss = AttackLoss.CROSS_ENTROPY;

        public Builder eps(float eps) { this.eps = eps; return this; }

        public Builder steps(int steps) { this.steps = steps; return this; }

        public Builder stepSize(float stepSize) { this.stepSize = stepSize; return this; }

        public Builder norm(Norm norm) { this.norm = norm; return this; }

        public Builder loss(AttackLoss loss) { this.loss = loss; return this; }

        public Bim build() {
            if (stepSize != null) Checks.positive("bim", "stepSize", stepSize);
            return new Bim(Checks.norm("bim", norm, Norm.LINF, Norm.L2), Checks.eps("bim", Checks.required("bim", "eps", eps)),
                    Checks.steps("bim", steps), stepSize, loss);
        }
    }
}
