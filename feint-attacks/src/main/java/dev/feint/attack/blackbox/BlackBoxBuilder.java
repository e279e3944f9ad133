package dev.feint.attack.blackbox;

import dev.feint.attack.AttackArgs;
import dev.feint.attack.AttackParam;

/**
 * The setters every seeded black-box builder shares: the per-example query budget, the images per
 * forward pass and the seed of the per-example random streams. Each attack's builder names its own
 * query default (see {@link #queriesOr}) and lower bound, and checks the values in its
 * {@code build()} in its own order, so its error messages stay its own.
 *
 * @param <B> the attack's builder, returned by every setter so calls chain
 */
public abstract class BlackBoxBuilder<B extends BlackBoxBuilder<B>> {
    private Integer queries;
    int batch = BlackBoxAttack.DEFAULT_BATCH;
    long seed;

    BlackBoxBuilder() {}

    @SuppressWarnings("unchecked")
    final B self() { return (B) this; }

    /**
     * Per-example query budget, the clean check included; its default and lower bound are the attack's
     * (see its builder).
     *
     * @param v queries
     * @return this builder
     */
    public B queries(int v) { queries = v; return self(); }
    /**
     * Sets the images per forward pass.
     *
     * @param v images, &gt;= 1 (default {@link BlackBoxAttack#DEFAULT_BATCH})
     * @return this builder
     */
    public B batch(int v) { batch = v; return self(); }
    /**
     * Sets the seed of the per-example random streams: an example's stream comes from (seed, its index).
     *
     * @param v the seed (default 0)
     * @return this builder
     */
    public B seed(long v) { seed = v; return self(); }

    /** {@return the query budget set, or the attack's default when none was} */
    final int queriesOr(int byDefault) { return queries != null ? queries : byDefault; }

    /** Reads queries, batch and seed, in this order, from a registry spec (for the entries that list them together). */
    void readShared(AttackArgs a) {
        a.whole("queries", this::queries);
        a.whole("batch", this::batch);
        a.seed(this::seed);
    }

    /** {@return the registry's query-budget parameter, with the attack's default} */
    static AttackParam queriesParam(String byDefault) {
        return AttackParam.whole("queries", byDefault, "queries per example, the clean check included");
    }

    /** {@return the registry's batch parameter} */
    static AttackParam batchParam() {
        return AttackParam.whole("batch", String.valueOf(BlackBoxAttack.DEFAULT_BATCH), "images per query batch");
    }
}
