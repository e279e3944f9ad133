package dev.feint.attack;

import java.util.Objects;

/**
 * A fluent, immutable view of an {@link AttackSpec}: each call returns a new builder, a
 * parameter the attack does not take is refused at once (a {@link ParameterException} naming it
 * and what the attack takes), and {@link #build()} makes the attack through
 * {@link AttackRegistry#create}, where values are checked. The typed setters are shorthands for
 * {@link #with(String, Object)} with the registry's parameter names; which attack takes which
 * parameter, with defaults, is {@link AttackRegistry#help()}.
 *
 * <pre>{@code
 * AttackBuilder pgd = Attacks.pgd().eps(0.1).steps(20).restarts(2).seed(7);
 * Attack attack = pgd.build();                 // or hand the builder to Evaluation.attack(...)
 * AttackSpec spec = pgd.spec();                // pgd:eps=0.1,steps=20,restarts=2,seed=7
 * }</pre>
 */
public final class AttackBuilder {
    private final AttackSpec spec;
    private final AttackEntry entry;

    AttackBuilder(AttackSpec spec) {
        this.entry = AttackRegistry.entry(Objects.requireNonNull(spec, "spec").name());
        for (String k : spec.params().keySet()) check(k);
        this.spec = spec;
    }

    /**
     * The radius of the ball (fixed-eps attacks), in the units of the model's inputs.
     *
     * @param eps a finite value &gt;= 0; checked by {@link #build()}
     * @return a new builder
     */
    public AttackBuilder eps(double eps) { return with("eps", eps); }

    /**
     * The norm of the ball (or the norm minimised).
     *
     * @param norm one the attack supports; checked by {@link #build()}
     * @return a new builder
     */
    public AttackBuilder norm(Norm norm) { return with("norm", Objects.requireNonNull(norm, "norm")); }

    /**
     * Iterations ({@code steps}).
     *
     * @param steps at least 1
     * @return a new builder
     */
    public AttackBuilder steps(int steps) { return with("steps", steps); }

    /**
     * Random restarts ({@code restarts}).
     *
     * @param restarts at least 1
     * @return a new builder
     */
    public AttackBuilder restarts(int restarts) { return with("restarts", restarts); }

    /**
     * The seed of the attack's random streams ({@code seed}); the same seed gives the same bits.
     *
     * @param seed any value
     * @return a new builder
     */
    public AttackBuilder seed(long seed) { return with("seed", seed); }

    /**
     * The query budget per example of a black-box attack, or of AutoAttack's Square stage ({@code queries}).
     *
     * @param queries at least the attack's minimum
     * @return a new builder
     */
    public AttackBuilder queries(int queries) { return with("queries", queries); }

    /**
     * The loss the attack ascends ({@code loss}), e.g. {@link Loss#CROSS_ENTROPY} or {@link Loss#DLR}.
     *
     * @param loss a loss value
     * @return a new builder
     */
    public AttackBuilder loss(Loss loss) { return with("loss", Objects.requireNonNull(loss, "loss")); }

    /**
     * Any parameter by its registry name ({@code stepSize}, {@code version}, ...).
     *
     * @param parameter a parameter the attack takes
     * @param value its value (null: back to the default)
     * @return a new builder
     * @throws ParameterException when the attack does not take {@code parameter}
     */
    public AttackBuilder with(String parameter, Object value) {
        check(parameter);
        return new AttackBuilder(spec.with(parameter, value));
    }

    /** {@return the attack as data (serialisable, round-trips through {@link AttackSpec#parse})} */
    public AttackSpec spec() { return spec; }

    /**
     * Builds the attack through the registry.
     *
     * @return the attack
     * @throws ParameterException for a bad or missing value, naming the parameter
     */
    public Attack build() { return AttackRegistry.create(spec); }

    /** {@return the spec's text form, e.g. {@code pgd:eps=0.1,steps=20}} */
    @Override public String toString() { return spec.toString(); }

    private void check(String parameter) {
        if (!entry.takes(parameter)) throw ParameterException.notTaken(entry.name(), parameter, entry.paramNames());
    }
}
