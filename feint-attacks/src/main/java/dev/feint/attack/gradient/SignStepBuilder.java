package dev.feint.attack.gradient;

import dev.feint.attack.AttackArgs;
import dev.feint.attack.AttackParam;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.attack.internal.Checks;

import java.util.List;

/**
 * The builder values of the one-step Linf sign attacks, FGSM (up the loss) and InvFGSM (down
 * it): eps (required) and loss (ce).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SignStepBuilder<B extends SignStepBuilder<B>> {
    /** The registry parameters: norm (linf only), eps (0.1), loss (ce). */
    static final List<AttackParam> PARAMS = List.of(AttackParam.norm("linf", "linf"), AttackParam.eps("0.1", "the Linf radius"), AttackParam.loss("ce"));

    Float eps;
    Loss loss = Loss.CROSS_ENTROPY;

    SignStepBuilder() {}

    abstract B self();

    /**
     * Sets the radius.
     *
     * @param eps the Linf radius (required, &gt;= 0)
     * @return this builder
     */
    public B eps(float eps) { this.eps = eps; return self(); }

    /**
     * Sets the loss whose gradient sign is the step.
     *
     * @param loss the loss (default {@link Loss#CROSS_ENTROPY})
     * @return this builder
     */
    public B loss(Loss loss) { this.loss = loss; return self(); }

    /** Reads {@link #PARAMS} from a spec (the registry's factory) for the attack {@code name}. */
    B read(AttackArgs a, String name) {
        Norm n = Checks.norm(name, a.normOr(Norm.LINF), Norm.LINF);
        a.eps(n, this::eps);
        a.loss(this::loss);
        return self();
    }

    /** {@return eps, checked for the attack {@code name}: given, finite and &gt;= 0} */
    float checkedEps(String name) { return Checks.eps(name, Checks.required(name, "eps", eps)); }
}
