package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Criterion;
import dev.feint.attack.Misclassification;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.attack.blackbox.PixelAttackResult;
import dev.feint.autograd.Reductions;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.model.Model;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Runs one attack over a whole dataset in batches and collects per-example results in
 * dataset order. A {@link Dataset} is read a batch at a time (the next batch decoded on a
 * background thread while the attack works on this one), so only the adversarial output is
 * held whole, and not even that with {@link #keepInputs keepInputs(false)} (each batch's
 * adversarial inputs then go to the {@link #batches} sink only); a tensor already in memory gives
 * the same results bit for bit. The criterion carries each row's dataset index, from which attacks derive
 * their random streams, so results do not depend on the batch size. For a
 * {@link PixelAttack} every example also records its changed pixels.
 */
public final class AttackRunner {
    private final Model model;
    private int batchSize = 256;
    private EvalJournal journal;
    private int run;
    private TargetChooser targets;
    private Listener progress = (a, done, total) -> { };
    private boolean keepInputs = true;
    private BatchSink batchSink = (from, adversarial) -> { };

    /**
     * A runner with the defaults: batches of 256, untargeted, inputs kept, no journal.
     *
     * @param model the model to attack
     */
    public AttackRunner(Model model) { this.model = model; }

    /** Given every batch's adversarial inputs [m, C, H, W] as it is done, with the position of its first example. */
    @FunctionalInterface
    public interface BatchSink {
        /**
         * Takes one batch's adversarial inputs.
         *
         * @param from the dataset position of the batch's first example
         * @param adversarial the batch's adversarial inputs [m, C, H, W]
         */
        void accept(int from, Tensor adversarial);
    }

    /**
     * Hands each batch's adversarial inputs to {@code sink} as the batch is done.
     *
     * @param sink the sink
     * @return this runner
     */
    public AttackRunner batches(BatchSink sink) { this.batchSink = sink; return this; }

    /**
     * Whether the outcome holds the adversarial inputs of all N examples (default true); false
     * bounds a run's memory by the batch, and {@link AttackOutcome#adversarial()} is null.
     *
     * @param keep whether to keep every adversarial input
     * @return this runner
     */
    public AttackRunner keepInputs(boolean keep) { this.keepInputs = keep; return this; }

    /**
     * Sets the examples attacked per batch.
     *
     * @param b examples, &gt;= 1 (default 256)
     * @return this runner
     * @throws dev.feint.FeintException when {@code b} &lt; 1
     */
    public AttackRunner batchSize(int b) {
        if (b < 1) throw new FeintException("batch size must be >= 1, got " + b);
        this.batchSize = b;
        return this;
    }

    /**
     * Makes the run targeted with targets from this chooser (null: untargeted).
     *
     * @param chooser the chooser, or null
     * @return this runner
     */
    public AttackRunner targets(TargetChooser chooser) { this.targets = chooser; return this; }

    /** Told after every batch: attack name, examples done, total. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called after every batch.
         *
         * @param attack the attack's name
         * @param done examples done
         * @param total examples in the run
         */
        void update(String attack, int done, int total);
    }

    /**
     * Reports progress to a listener after every batch.
     *
     * @param p the listener
     * @return this runner
     */
    public AttackRunner progress(Listener p) { this.progress = p; return this; }

    /**
     * Records every batch in {@code j} as run number {@code run} of an evaluation, and takes the
     * batches an interrupted process already recorded from it instead of attacking them again.
     *
     * @param j the journal
     * @param run the run's number within the evaluation
     * @return this runner
     */
    public AttackRunner journal(EvalJournal j, int run) {
        this.journal = j;
        this.run = run;
        return this;
    }

    /**
     * Attacks x [N, C, H, W] with labels; indices (null: 0..N-1) are the dataset positions reported.
     *
     * @param attack the attack
     * @param x the inputs [N, C, H, W]
     * @param labels the true labels
     * @param indices the dataset positions, or null
     * @return the outcome
     * @throws dev.feint.FeintException when the data does not fit the model
     */
    public AttackOutcome run(Attack attack, Tensor x, int[] labels, int[] indices) {
        checkData(model, x, labels);
        int d = model.inputSize();
        Iterator<Tensor> batches = new Iterator<>() {
            private int from;

            @Override public boolean hasNext() { return from < labels.length; }

            @Override public Tensor next() {
                int to = Math.min(labels.length, from + batchSize);
                Tensor xb = Tensor.of(Arrays.copyOfRange(x.data(), from * d, to * d), to - from, x.dim(1), x.dim(2), x.dim(3));
                from = to;
                return xb;
            }
        };
        try (var frozen = FrozenWeights.open()) {          // weights fixed for the whole run
            return runIn(attack, batches, labels, indices != null ? indices.clone() : range(labels.length));
        }
    }

    /**
     * Attacks every example of {@code data} (read batch by batch, never whole); the indices reported are 0..N-1.
     *
     * @param attack the attack
     * @param data the data
     * @return the outcome
     * @throws dev.feint.FeintException when the data does not fit the model
     */
    public AttackOutcome run(Attack attack, Dataset data) { return run(attack, data, null); }

    /**
     * Attacks every example of {@code data} (read batch by batch, never whole); {@code indices}
     * (null: 0..N-1) are the examples' positions in the whole dataset, reported and seeding each
     * example's random stream, so a slice of a distributed run gives the bits of the whole run.
     *
     * @param attack the attack
     * @param data the data
     * @param indices the positions in the whole dataset, or null
     * @return the outcome
     * @throws dev.feint.FeintException when the data does not fit the model
     */
    public AttackOutcome run(Attack attack, Dataset data, int[] indices) {
        int[] labels = data.labels();
        checkData(model, data.exampleShape(), labels);
        Iterator<Batch> it = Batches.inOrder(data, batchSize).prefetched().epoch(0).iterator();
        Iterator<Tensor> batches = new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }

            @Override public Tensor next() { return it.next().x(); }
        };
        try (var frozen = FrozenWeights.open()) {
            if (indices != null && indices.length != labels.length)
                throw new IllegalArgumentException(indices.length + " indices for " + labels.length + " examples");
            return runIn(attack, batches, labels, indices != null ? indices.clone() : range(labels.length));
        }
    }

    /** The loop over batches of {@code batchSize} examples ({@code batches} gives their inputs in order). */
    private AttackOutcome runIn(Attack attack, Iterator<Tensor> batches, int[] labels, int[] idx) {
        int n = labels.length, d = model.inputSize(), k = model.numClasses();
        int[] shape = model.inputShape();
        float[] out = keepInputs ? new float[Math.multiplyExact(n, d)] : null;
        List<ExampleResult> ex = new ArrayList<>(n);
        boolean pixel = attack instanceof PixelAttack;
        long t0 = System.nanoTime();
        java.util.Map<String, Double> stageSeconds = null;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize), m = to - from;
            Tensor xb = batches.next();
            EvalJournal.Batch saved = journal == null ? null : journal.lookup(run, from, to);
            if (saved != null && saved.examples().size() == m && saved.adversarial().length == m * d) {
                ex.addAll(saved.examples());
                stageSeconds = addStages(stageSeconds, saved.stageSeconds());
                done(saved.adversarial(), out, from, xb);
                progress.update(attack.name(), to, n);
                continue;
            }
            int first = ex.size();
            int[] lb = Arrays.copyOfRange(labels, from, to), ib = Arrays.copyOfRange(idx, from, to);
            Tensor clean = model.logits(xb);
            int[] cp = Reductions.argmaxLast(clean);
            float[] prob = Model.softmax(clean).data();
            int[] tg = targets == null ? null : targets.choose(lb, clean, ib);
            int[] rows = rowsToAttack(tg, m);
            // The dataset indices travel with the rows: attacks seed each example's random stream from them.
            Criterion crit = tg == null ? new Misclassification(lb, ib)
                    : new TargetedMisclassification(Criterion.gather(tg, rows), Criterion.gather(lb, rows), Criterion.gather(ib, rows));
            Tensor xs = rows.length == m ? xb : gather(xb, rows, d);
            AttackResult r = attack.run(model, xs, crit);
            PixelAttackResult px = pixel ? PixelAttackResult.of(r, xs) : null;
            stageSeconds = addStages(stageSeconds, r.stageSeconds());
            float[] adv = xb.data().clone();
            int j = 0;
            for (int i = 0; i < m; i++) {
                int target = tg == null ? -1 : tg[i];
                if (j < rows.length && rows[j] == i) {
                    System.arraycopy(r.adversarial().data(), j * d, adv, i * d, d);
                    ex.add(new ExampleResult(ib[i], lb[i], target, true, cp[i], r.predictions()[j], r.success()[j],
                            r.confidence()[j], r.linf()[j], r.l2()[j], r.l0()[j], r.size()[j], r.queries()[j], r.gradients()[j],
                            px == null ? null : px.changed().get(j), r.brokenBy() == null ? null : r.brokenBy()[j]));
                    j++;
                } else {
                    ex.add(new ExampleResult(ib[i], lb[i], -1, false, cp[i], cp[i], false, prob[i * k + cp[i]], 0, 0, 0, 0, 0, 0,
                            pixel ? List.of() : null));
                }
            }
            if (journal != null) journal.record(run, from, to, ex.subList(first, ex.size()), adv, 0, m * d, r.stageSeconds());
            done(adv, out, from, xb);
            progress.update(attack.name(), to, n);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new AttackOutcome(attack, targets != null, out == null ? null : new Tensor(Shape.of(n, shape[0], shape[1], shape[2]), out),
                ex, secs, stageSeconds);
    }

    /** The stage seconds so far plus a batch's (either may be null: no composite attack yet). */
    private static java.util.Map<String, Double> addStages(java.util.Map<String, Double> sum, java.util.Map<String, Double> batch) {
        if (batch == null) return sum;
        if (sum == null) sum = new java.util.LinkedHashMap<>();
        for (var e : batch.entrySet()) sum.merge(e.getKey(), e.getValue(), Double::sum);
        return sum;
    }

    /** A batch's adversarial inputs (clean where not attacked): into the whole output when kept, and to the sink. */
    private void done(float[] adv, float[] out, int from, Tensor xb) {
        if (out != null) System.arraycopy(adv, 0, out, from * model.inputSize(), adv.length);
        batchSink.accept(from, Tensor.of(adv, xb.dims()));
    }

    /**
     * User-facing checks: the data must fit the model.
     *
     * @param model the model
     * @param x the inputs [N, C, H, W]
     * @param labels the true labels
     * @throws dev.feint.FeintException naming what does not fit
     */
    public static void checkData(Model model, Tensor x, int[] labels) {
        if (x.rank() != 4)
            throw new FeintException("the data has examples " + Arrays.toString(Arrays.copyOfRange(x.dims(), 1, x.rank()))
                    + " but the model expects inputs " + Arrays.toString(model.inputShape()));
        if (labels.length != x.dim(0)) throw new IllegalArgumentException(labels.length + " labels for " + x.dim(0) + " inputs");
        checkData(model, new int[] {x.dim(1), x.dim(2), x.dim(3)}, labels);
    }

    /**
     * User-facing checks: examples of {@code example} [C,H,W] with these labels must fit the model.
     *
     * @param model the model
     * @param example the shape of one example [C, H, W]
     * @param labels the true labels
     * @throws dev.feint.FeintException naming what does not fit
     */
    public static void checkData(Model model, int[] example, int[] labels) {
        int[] s = model.inputShape();
        if (!Arrays.equals(example, s))
            throw new FeintException("the data has examples " + Arrays.toString(example) + " but the model expects inputs " + Arrays.toString(s));
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= model.numClasses())
                throw new FeintException("label " + labels[i] + " of example " + i + " is outside the model's classes 0.."
                        + (model.numClasses() - 1));
    }

    private static int[] rowsToAttack(int[] tg, int m) {
        if (tg == null) return range(m);
        int c = 0;
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) if (tg[i] != TargetChooser.NONE) rows[c++] = i;
        return Arrays.copyOf(rows, c);
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static Tensor gather(Tensor xb, int[] rows, int d) {
        float[] o = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(xb.data(), rows[i] * d, o, i * d, d);
        return Tensor.of(o, rows.length, xb.dim(1), xb.dim(2), xb.dim(3));
    }
}
