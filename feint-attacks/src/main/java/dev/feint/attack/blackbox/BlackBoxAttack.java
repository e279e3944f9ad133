package dev.feint.attack.blackbox;

import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the score- and decision-based attacks share: a per-example query budget (the clean check
 * included), queries batched through an {@link Oracle} in chunks of at most {@code batch}
 * images, one clean query per example first (examples the criterion already accepts are left
 * as they are), and one random stream per example so an example's result does not depend on
 * the rest of the batch's progress. Only {@link dev.feint.model.Model#logits} is ever used.
 */
public abstract class BlackBoxAttack extends AttackBase {
    /** Images per forward pass: bounds the activation memory of one query batch. */
    public static final int DEFAULT_BATCH = 512;

    final int queries, batch;
    final long seed;

    BlackBoxAttack(String name, Norm norm, float eps, int queries, int batch, long seed) {
        super(name, norm, eps);
        this.queries = queries;
        this.batch = batch;
        this.seed = seed;
    }

    /** {@return the per-example query budget, the clean check included} */
    public int queries() { return queries; }

    /** {@return the seed of the per-example random streams} */
    public long seed() { return seed; }

    /**
     * The search. {@code adv} starts as a copy of {@code x0} (flat [n, d]); rows with
     * {@code done[i]} (already adversarial) must stay untouched. {@code clean} holds the clean logits.
     */
    abstract void search(Oracle oracle, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done);

    abstract void describeSearch(Map<String, Object> p);

    /** The relative logit margin decisions must win by: 0 (the argmax) unless a decision-based attack sets one. */
    float decisionMargin() { return 0f; }

    @Override protected final Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        Oracle o = new Oracle(ctx, queries, batch, decisionMargin());
        int n = o.n;
        float[] x0 = x.data(), adv = x0.clone();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        float[] clean = o.logits(x0, all, n);
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) done[i] = crit.isAdversarial(i, Oracle.argmax(clean, i, o.k));
        search(o, x0, adv, crit, clean, done);
        return new Tensor(x.shape(), adv);
    }

    @Override protected final void describe(Map<String, Object> p) {
        describeSearch(p);
        p.put("queries", (long) queries);
        p.put("seed", seed);
    }

    /** The random stream of row i, from (seed, its dataset index): see {@link AttackContext#random}. */
    final SplittableRandom rng(Oracle o, int i) { return o.random(seed, i); }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
