package dev.feint.attack.gradient;

import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.attack.internal.Checks;

/**
 * The builder values every iterated gradient-step attack without a random start takes (BIM,
 * MI-FGSM and the transfer attacks of {@link TransferBuilder}): eps (required), norm (linf; l2
 * too), steps (10), stepSize (the attack's default when not set), loss (ce).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class IterativeBuilder<B extends IterativeBuilder<B>> {
    Float eps, stepSize;
    int steps = 10;
    Norm norm = Norm.LINF;
    Loss loss = Loss.CROSS_ENTROPY;

    IterativeBuilder() {}

    abstract B self();

    /**
     * Sets the radius.
     *
     * @param eps the radius, in the units of the norm (required, &gt;= 0)
     * @return this builder
     */
    public B eps(float eps) { this.eps = eps; return self(); }

    /**
     * Sets the norm.
     *
     * @param norm linf or l2 (default linf)
     * @return this builder
     */
    public B norm(Norm norm) { this.norm = norm; return self(); }

    /**
     * Sets the iterations.
     *
     * @param steps iterations, &gt;= 1 (default 10)
     * @return this builder
     */
    public B steps(int steps) { this.steps = steps; return self(); }

    /**
     * Sets the step length.
     *
     * @param stepSize the length of each step, &gt; 0 (default: the attack's, in its class header)
     * @return this builder
     */
    public B stepSize(float stepSize) { this.stepSize = stepSize; return self(); }

    /**
     * Sets the loss to ascend.
     *
     * @param loss the loss (default {@link Loss#CROSS_ENTROPY})
     * @return this builder
     */
    public B loss(Loss loss) { this.loss = loss; return self(); }

    /**
     * Checks these values for the attack {@code name}, in the order its messages name them:
     * stepSize (when set), norm, eps, steps.
     */
    void check(String name) {
        if (stepSize != null) Checks.positive(name, "stepSize", stepSize);
        Checks.norm(name, norm, Norm.LINF, Norm.L2);
        Checks.eps(name, Checks.required(name, "eps", eps));
        Checks.steps(name, steps);
    }
}
