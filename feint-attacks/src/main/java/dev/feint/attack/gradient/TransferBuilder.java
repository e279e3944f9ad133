package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackArgs;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Norm;

/**
 * The builder values every transfer attack (DI, TI, NI, SI, VMI, VNI-FGSM) takes: those of
 * {@link IterativeBuilder} (eps required, norm linf or l2, steps 10, stepSize eps / steps, loss ce),
 * decay (1.0: MI-FGSM's momentum; 0 turns it off) and seed (0).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TransferBuilder<B extends TransferBuilder<B>> extends IterativeBuilder<B> {
    float decay = 1f;
    long seed;

    TransferBuilder() {}

    /**
     * The momentum decay mu (0: no momentum).
     *
     * @param decay mu, &gt;= 0 (default 1.0)
     * @return this builder
     */
    public B decay(float decay) { this.decay = decay; return self(); }

    /**
     * Random draws (diversity, neighbours) come from (seed, example index).
     *
     * @param seed the seed (default 0)
     * @return this builder
     */
    public B seed(long seed) { this.seed = seed; return self(); }

    /** Checks the shared values and builds the attack with these settings. */
    Attack build(String name, TransferSettings t) {
        check(name);
        return new TransferAttack(name, norm, eps, steps, stepSize, Checks.nonNegative(name, "decay", decay), loss, seed, t);
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
