package dev.feint.eval;

import dev.feint.attack.Attack;
import dev.feint.data.Dataset;
import dev.feint.tensor.Tensor;

import java.util.List;

/**
 * The builder values of a transfer evaluation and of a transfer matrix (one transfer evaluation
 * per source): the examples, the fixed-eps attacks, the radii they run at, the batch size (256)
 * and the progress listener.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TransferRunsBuilder<B extends TransferRunsBuilder<B>> {
    final EvaluationData given = new EvaluationData();
    Dataset data;
    List<Attack> attacks = List.of();
    float[] eps;
    int batchSize = 256;
    AttackRunner.Listener progress = (a, done, total) -> { };

    TransferRunsBuilder() {}

    abstract B self();

    /**
     * Examples held in memory: x [N, C, H, W] with their labels.
     *
     * @param x the inputs
     * @param labels their labels
     * @return this builder
     */
    public B data(Tensor x, int[] labels) { given.set(x, labels); return self(); }

    /**
     * A dataset, read batch by batch by every pass (never whole).
     *
     * @param ds the dataset
     * @return this builder
     */
    public B data(Dataset ds) { given.set(ds); return self(); }

    /**
     * Sets the fixed-eps attacks, each crafted on every source and run at every eps.
     *
     * @param a the attacks
     * @return this builder
     */
    public B attacks(List<Attack> a) { this.attacks = List.copyOf(a); return self(); }

    /**
     * Sets the radii every attack runs at.
     *
     * @param e the radii (required)
     * @return this builder
     */
    public B eps(float... e) { this.eps = e.clone(); return self(); }

    /**
     * Sets the examples per batch.
     *
     * @param b examples, &gt;= 1 (default 256)
     * @return this builder
     */
    public B batchSize(int b) { this.batchSize = b; return self(); }

    /**
     * Reports progress to a listener after every batch.
     *
     * @param p the listener
     * @return this builder
     */
    public B progress(AttackRunner.Listener p) { this.progress = p; return self(); }
}
