package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackArgs;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;

/**
 * The builder values every transfer attack (DI, TI, NI, SI, VMI, VNI-FGSM) takes: eps (required), norm (linf; l2 too), steps
 * (10), stepSize (eps / steps), decay (1.0: MI-FGSM's momentum; 0 turns it off), loss (ce), seed (0).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TransferBuilder<B extends TransferBuilder<B>> {
    Float eps, stepSize;
    int steps = 10;
    float decay = 1f;
    Norm norm = Norm.LINF;
    Loss loss = Loss.CROSS_ENTROPY;
    long seed;

    TransferBuilder() {}

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
     * @param stepSize the length of each step, &gt; 0 (default {@code eps / steps})
     * @return this builder
     */
    public B stepSize(float stepSize) { this.stepSize = stepSize; return self(); }

    /**
     * The momentum decay mu (0: no momentum).
     *
     * @param decay mu, &gt;= 0 (default 1.0)
     * @return this builder
     */
    public B decay(float decay) { this.decay = decay; return self(); }

    /**
     * Sets the loss to ascend.
     *
     * @param loss the loss (default {@link Loss#CROSS_ENTROPY})
     * @return this builder
     */
    public B loss(Loss loss) { this.loss = loss; return self(); }

    /**
     * Random draws (diversity, neighbours) come from (seed, example index).
     *
     * @param seed the seed (default 0)
     * @return this builder
     */
    public B seed(long seed) { this.seed = seed; return self(); }

    /** Checks the shared values and builds the attack with these settings. */
    Attack build(String name, TransferSettings t) {
        if (stepSize != null) Checks.positive(name, "stepSize", stepSize);
        return new TransferAttack(name, Checks.norm(name, norm, Norm.LINF, Norm.L2), Checks.eps(name, Checks.required(name, "eps", eps)),
                Checks.steps(name, steps), stepSize, Checks.nonNegative(name, "decay", decay), loss, seed, t);
    }

    /** Reads the shared parameters from a spec (the registry's factory); seed only for attacks that draw. */
    B read(AttackArgs a, boolean random) {
        Norm n = a.normOr(Norm.LINF);
        norm(n);
        a.eps(n, this::eps);
        a.whole("steps", this::steps);
        a.number("stepSize", this::stepSize);
        a.number("decay", this::decay);
        a.loss(this::loss);
        if (random) a.seed(this::seed);
        return self();
    }
}
