package dev.feint.model;

import dev.feint.tensor.Tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps any {@link Model} and counts per-example queries: a batch of n inputs is n queries,
 * a gradient of n examples is n gradient evaluations (each also one forward, so one query).
 * Black-box attacks report their budget from here. Use {@link #wrap} so a differentiable
 * model stays differentiable.
 */
public class QueryCounter implements Model {
    /** The model counted. */
    protected final Model inner;
    /** Examples sent through the model so far. */
    protected final AtomicLong queries = new AtomicLong();
    /** Examples whose input gradient was computed so far. */
    protected final AtomicLong gradients = new AtomicLong();

    /**
     * A counter of a black-box model; {@link #wrap} chooses the right kind.
     *
     * @param inner the model counted
     */
    protected QueryCounter(Model inner) { this.inner = inner; }

    /**
     * A counter that is a {@link DifferentiableModel} exactly when {@code model} is one.
     *
     * @param model the model to count the queries of
     * @return the counting model
     */
    public static QueryCounter wrap(Model model) {
        return model instanceof DifferentiableModel d ? new Differentiable(d) : new QueryCounter(model);
    }

    /** {@return the model counted} */
    public Model inner() { return inner; }

    /** {@return examples sent through the model so far (forward passes, with or without a gradient)} */
    public long queries() { return queries.get(); }

    /** {@return examples whose input gradient was computed so far} */
    public long gradients() { return gradients.get(); }

    /** Sets both counts back to zero. */
    public void reset() {
        queries.set(0);
        gradients.set(0);
    }

    @Override public Tensor logits(Tensor x) {
        queries.addAndGet(x.dim(0));
        return inner.logits(x);
    }

    @Override public int numClasses() { return inner.numClasses(); }

    @Override public Bounds bounds() { return inner.bounds(); }

    @Override public int[] inputShape() { return inner.inputShape(); }

    /** The counter of a differentiable model. */
    public static final class Differentiable extends QueryCounter implements DifferentiableModel {
        private Differentiable(DifferentiableModel inner) { super(inner); }

        @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
            queries.addAndGet(x.dim(0));
            gradients.addAndGet(x.dim(0));
            return ((DifferentiableModel) inner).gradient(x, loss, into);
        }

        /** One gradient, and as every gradient one query, per row and example. */
        @Override public Jacobian jacobianRows(Tensor x, int[][] classes) {
            int m = Jacobian.rows(x, classes, numClasses());
            queries.addAndGet((long) x.dim(0) * m);
            gradients.addAndGet((long) x.dim(0) * m);
            return ((DifferentiableModel) inner).jacobianRows(x, classes);
        }
    }
}
