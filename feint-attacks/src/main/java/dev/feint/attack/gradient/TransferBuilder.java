package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackArgs;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;

/**
 * The builder values every transfer attack (DI, TI, NI, SI, VMI, VNI-FGSM) takes: eps (required), norm (linf; l2 too), steps
 * (10), stepSize (eps / steps), decay (1.0: MI-FGSM's momentum; 0 turns it off), loss (ce), seed (0).
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

    public B eps(float eps) { this.eps = eps; return self(); }

    public B norm(Norm norm) { this.norm = norm; return self(); }

    public B steps(int steps) { this.steps = steps; return self(); }

    public B stepSize(float stepSize) { this.stepSize = stepSize; return self(); }

    /** The momentum decay mu (0: no momentum). */
    public B decay(float decay) { this.decay = decay; return self(); }

    public B loss(Loss loss) { this.loss = loss; return self(); }

    /** Random draws (diversity, neighbours) come from (seed, example index). */
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
