package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * What an attack may do with the model during one run, with per-example accounting: every
 * forward pass is a query and every gradient also a gradient evaluation, charged to the
 * examples (rows of the original batch) involved.
 */
public final class AttackContext {
    private final Model model;
    private final String attack;
    private final int n, d;
    private final int[] queries, gradients, indices;
    private String[] brokenBy;
    private java.util.Map<String, Double> stageSeconds;

    AttackContext(Model model, String attack, int n, int[] indices) {
        this.model = model;
        this.indices = indices;
        this.attack = attack;
        this.n = n;
        this.d = model.inputSize();
        this.queries = new int[n];
        this.gradients = new int[n];
    }

    /** {@return the model under attack} */
    public Model model() { return model; }

    /** {@return the model's input bounds, which every output must stay inside} */
    public Bounds bounds() { return model.bounds(); }

    /** {@return the number of classes the model predicts} */
    public int numClasses() { return model.numClasses(); }

    /** {@return examples in the batch} */
    public int n() { return n; }

    /**
     * Values per example.
     *
     * @return c * h * w of the model's input
     */
    public int d() { return d; }

    /**
     * The dataset position of row i (from the criterion; 0..n-1 by default).
     *
     * @param row a row of the batch
     * @return its dataset position
     */
    public int index(int row) { return indices[row]; }

    /**
     * The random stream of row i: derived from (seed, the row's dataset index), never from its
     * position in the batch, so an example's result does not depend on --batch or on the split.
     *
     * @param seed the attack's seed
     * @param row a row of the batch
     * @return the stream of (seed, the row's dataset position)
     */
    public SplittableRandom random(long seed, int row) { return stream(seed, indices[row]); }

    /**
     * The random streams of every row, as {@link #random}.
     *
     * @param seed the attack's seed
     * @return one stream per row, in row order
     */
    public SplittableRandom[] randoms(long seed) {
        SplittableRandom[] r = new SplittableRandom[n];
        for (int i = 0; i < n; i++) r[i] = random(seed, i);
        return r;
    }

    /**
     * The stream of (seed, index): the one mixing rule every per-example stream in Feint uses.
     *
     * @param seed the attack's seed
     * @param index the example's dataset position
     * @return a fresh stream
     */
    public static SplittableRandom stream(long seed, long index) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L)));
    }

    /**
     * Logits of x, whose rows are the batch's rows {@code rows} (null: all, in order).
     *
     * @param x inputs [k, c, h, w]
     * @param rows the batch rows of x's rows, charged one query each (null: all)
     * @return the logits [k, classes]
     */
    public Tensor logits(Tensor x, int[] rows) {
        charge(queries, x.dim(0), rows);
        return model.logits(x);
    }

    /**
     * One forward and backward pass over x (rows as in {@link #logits}).
     *
     * @param x inputs [k, c, h, w]
     * @param loss the loss to differentiate
     * @param into where to write the input gradient (null: a new array)
     * @param rows the batch rows of x's rows, charged one gradient each (null: all)
     * @return the loss and input gradient
     */
    public DifferentiableModel.Gradient gradient(Tensor x, LossFunction loss, float[] into, int[] rows) {
        DifferentiableModel dm = differentiable();
        charge(queries, x.dim(0), rows);
        charge(gradients, x.dim(0), rows);
        return dm.gradient(x, loss, into);
    }

    /**
     * Charges a sub-attack's per-example queries and gradients (rows of this batch) to this run (composite attacks).
     *
     * @param rows the batch rows the sub-attack ran on
     * @param subQueries queries per sub-attack row
     * @param subGradients gradients per sub-attack row
     */
    public void charge(int[] rows, int[] subQueries, int[] subGradients) {
        for (int j = 0; j < rows.length; j++) {
            queries[rows[j]] += subQueries[j];
            gradients[rows[j]] += subGradients[j];
        }
    }

    /**
     * Records that {@code stage} broke row {@code row} (composite attacks).
     *
     * @param row the batch row
     * @param stage the stage's name
     */
    public void brokenBy(int row, String stage) {
        if (brokenBy == null) brokenBy = new String[n];
        brokenBy[row] = stage;
    }

    /**
     * Adds seconds to a stage's time, stages kept in the order first seen (composite attacks).
     *
     * @param stage the stage's name
     * @param seconds the seconds to add
     */
    public void stageTime(String stage, double seconds) {
        if (stageSeconds == null) stageSeconds = new java.util.LinkedHashMap<>();
        stageSeconds.merge(stage, seconds, Double::sum);
        if (brokenBy == null) brokenBy = new String[n];
    }

    String[] brokenBy() { return brokenBy; }

    java.util.Map<String, Double> stageSeconds() { return stageSeconds; }

    /**
     * Input-Jacobian rows over x (rows as in {@link #logits}): each row is charged as a gradient
     * and, as every gradient is, a query (though the model may share one forward pass among them).
     *
     * @param x inputs [k, c, h, w]
     * @param classes per row of x, the classes whose logit gradients are wanted
     * @param rows the batch rows of x's rows (null: all)
     * @return the Jacobian rows
     */
    public DifferentiableModel.Jacobian jacobianRows(Tensor x, int[][] classes, int[] rows) {
        DifferentiableModel dm = differentiable();
        int m = DifferentiableModel.Jacobian.rows(x, classes, numClasses());
        for (int j = 0; j < m; j++) {
            charge(queries, x.dim(0), rows);
            charge(gradients, x.dim(0), rows);
        }
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
