package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

/**
 * What an attack may do with the model during one run, with per-example accounting: every
 * forward pass is a query and every gradient also a gradient evaluation, charged to the
 * examples (rows of the original batch) involved.
 */
public final class AttackContext {
    private final Model model;
    private final String attack;
    private final int n, d;
    private final int[] queries, gradients;

    AttackContext(Model model, String attack, int n) {
        this.model = model;
        this.attack = attack;
        this.n = n;
        this.d = model.inputSize();
        this.queries = new int[n];
        this.gradients = new int[n];
    }

    public Model model() { return model; }

    public Bounds bounds() { return model.bounds(); }

    public int numClasses() { return model.numClasses(); }

    /** Examples in the batch. */
    public int n() { return n; }

    /** Values per example. */
    public int d() { return d; }

    /** Logits of x, whose rows are the batch's rows {@code rows} (null: all, in order). */
    public Tensor logits(Tensor x, int[] rows) {
        charge(queries, x.dim(0), rows);
        return model.logits(x);
    }

    /** One forward and backward pass over x (rows as in {@link #logits}). */
    public DifferentiableModel.Gradient gradient(Tensor x, LossFunction loss, float[] into, int[] rows) {
        DifferentiableModel dm = differentiable();
        charge(queries, x.dim(0), rows);
        charge(gradients, x.dim(0), rows);
        return dm.gradient(x, loss, into);
    }

    /** Input-Jacobian rows over x (rows as in {@link #logits}): one query and one gradient per row, per example. */
    public DifferentiableModel.Jacobian jacobianRows(Tensor x, int[][] classes, int[] rows) {
        DifferentiableModel dm = differentiable();
        int m = DifferentiableModel.Jacobian.rows(x, classes, numClasses());
        charge(queries, x.dim(0), rows);
        for (int j = 0; j < m; j++) charge(gradients, x.dim(0), rows);
        return dm.jacobianRows(x, classes);
    }

    private DifferentiableModel differentiable() {
        if (!(model instanceof DifferentiableModel dm))
            throw new FeintException(attack + " needs gradients, but the model is black-box (only scores are available)");
        return dm;
    }

    int[] queries() { return queries; }

    int[] gradients() { return gradients; }

    private static void charge(int[] counts, int m, int[] rows) {
        if (rows == null) for (int i = 0; i < m; i++) counts[i]++;
        else for (int r : rows) counts[r]++;
    }
}
