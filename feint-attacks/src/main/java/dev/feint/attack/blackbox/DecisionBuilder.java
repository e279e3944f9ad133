package dev.feint.attack.blackbox;

import dev.feint.attack.AttackArgs;
import dev.feint.attack.internal.DecisionMargin;

/**
 * A decision-based attack's builder: the black-box setters and the decision margin, which the
 * attack checks with {@link DecisionMargin#check} in its {@code build()}.
 *
 * @param <B> the attack's builder
 */
public abstract class DecisionBuilder<B extends DecisionBuilder<B>> extends BlackBoxBuilder<B> {
    float margin = DecisionMargin.DEFAULT;

    DecisionBuilder() {}

    /**
     * The relative logit margin by which the wrong (or target) class must win ({@link DecisionMargin}).
     *
     * @param v the margin, &gt;= 0 (default {@link DecisionMargin#DEFAULT})
     * @return this builder
     */
    public B margin(float v) { margin = v; return self(); }

    /** Reads queries, batch, seed and then margin. */
    @Override void readShared(AttackArgs a) {
        super.readShared(a);
        a.number("margin", this::margin);
    }
}
