package dev.feint.eval;

import dev.feint.BadParameterException;
import dev.feint.attack.Attack;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.data.Dataset;
import dev.feint.model.Model;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The library entry point behind {@code feint eval --attacks}: clean accuracy, then every
 * attack at every eps (fixed-eps attacks run once per eps; minimum-norm attacks run once and
 * are thresholded at each eps in their own norm), the per-example worst case over the
 * attacks sharing a norm, and robust-accuracy-vs-eps curves. Pixel attacks (onepixel,
 * pixel-search) have no eps: their threat model is a number of changed pixels, so they run once
 * and are reported apart, with a worst case per pixel budget ({@link RobustnessReport#pixelEntries}).
 * An evaluation of pixel attacks only needs no eps.
 *
 * <pre>{@code
 * RobustnessReport r = RobustnessEvaluation.builder()
 *         .model(NetworkModel.of(net)).data(testSet.slice(0, 1000))
 *         .attacks(List.of(fgsm, pgd)).eps(0.05f, 0.1f, 0.2f).build().run();
 * Json.writeFile(Path.of("eval.json"), r.toJson());
 * }</pre>
 */
public final class RobustnessEvaluation {
    private final Model model;
    private final Dataset data;
    private final int[] labels;
    private final List<Planned> attacks;
    private final float[] eps, reportEps;
    private final int batchSize;
    private final TargetChooser targets;
    private final AttackRunner.Listener progress;
    private final Consumer<AttackOutcome> sink;
    private final EvalJournal journal;

    private RobustnessEvaluation(Builder b) {
        this.model = b.model;
        this.data = b.data;
        this.labels = b.data.labels();
        this.attacks = List.copyOf(b.attacks);
        this.eps = b.eps.clone();
        this.reportEps = b.reportEps();
        this.batchSize = b.batchSize;
        this.targets = b.targets;
        this.progress = b.progress;
        this.sink = b.sink;
        this.journal = b.journal;
    }

    /** An attack with the radii it runs at (null: the evaluation's {@code eps}). */
    private record Planned(Attack attack, float[] eps) {
        float[] radii(float[] all) { return eps == null ? all : eps; }
    }

    /** One run: the attack, and for a minimum-norm attack the radii it is thresholded at. */
    private record Run(Attack attack, float[] thresholds) {}

    /** {@return a builder; {@code model}, data and the attacks are required, and {@code eps} unless every attack has its own radii} */
    public static Builder builder() { return new Builder(); }

    /**
     * Runs every attack and builds the report, with the model's weights frozen for the whole run.
     *
     * @return the report
     */
    public RobustnessReport run() {
        try (var frozen = FrozenWeights.open()) {          // weights fixed for the whole run
            return runIn();
        }
    }

    private RobustnessReport runIn() {
        List<AttackOutcome> outcomes = outcomes(null);
        return report(outcomes);
    }

    /** {@return the shape of one example, [C, H, W]} */
    public int[] exampleShape() { return data.exampleShape(); }

    /**
     * The attack runs in order: a pixel or minimum-norm attack once, a fixed-eps attack once per
     * eps. {@link #outcomes} and {@link #report} take and give one entry per run in this order.
     *
     * @return one attack per run
     */
    public List<Attack> runs() {
        List<Attack> out = new ArrayList<>();
        for (Run r : plan()) out.add(r.attack());
        return out;
    }

    private List<Run> plan() {
        List<Run> out = new ArrayList<>();
        for (Planned p : attacks) {
            Attack a = p.attack();
            if (a instanceof PixelAttack) out.add(new Run(a, null));
            else if (a.minimumNorm()) out.add(new Run(a, p.radii(eps)));
            else for (float e : p.radii(eps)) out.add(new Run(a.withEps(e), null));
        }
        return out;
    }

    /**
     * Every run of {@link #runs()} over this evaluation's data, each handed to the outcomes sink
     * as it finishes. {@code indices} are the examples' positions in the whole dataset (null:
     * 0..n-1): a part of a distributed run passes its slice's positions, so every example keeps
     * its random stream and the merged outcomes equal those of one run over everything.
     *
     * @param indices the examples' positions in the whole dataset, or null
     * @return one outcome per run, in the order of {@link #runs()}
     * @throws IllegalArgumentException when {@code indices} has not one entry per example
     */
    public List<AttackOutcome> outcomes(int[] indices) {
        if (indices != null && indices.length != labels.length)
            throw new IllegalArgumentException(indices.length + " indices for " + labels.length + " examples");
        try (var frozen = FrozenWeights.open()) {
            AttackRunner runner = new AttackRunner(model).batchSize(batchSize).targets(targets).progress(progress);
            List<Attack> runs = runs();
            List<AttackOutcome> out = new ArrayList<>(runs.size());
            for (int i = 0; i < runs.size(); i++) {   // the journal names each run by its position
                AttackOutcome o = runner.journal(journal, i).run(runs.get(i), data, indices);
                sink.accept(o);
                out.add(o);
            }
            return out;
        }
    }

    /**
     * The report from one outcome per run of {@link #runs()} over this evaluation's whole data:
     * clean accuracy and AUCs from the model's scores, every run's summary per eps, and the
     * worst cases. Outcomes merged from the parts of a distributed run give the same report.
     *
     * @param outcomes one outcome per run, in the order of {@link #runs()}
     * @return the report
     * @throws IllegalArgumentException when there is not one outcome per run
     */
    public RobustnessReport report(List<AttackOutcome> outcomes) {
        List<Run> runs = plan();
        if (outcomes.size() != runs.size()) throw new IllegalArgumentException(outcomes.size() + " outcomes for " + runs.size() + " runs");
        try (var frozen = FrozenWeights.open()) {
            int n = labels.length;
            SoftmaxScores cleanScores = SoftmaxScores.of(model, data, batchSize); // kept for the AUCs
            int[] pred = cleanScores.predictions();
            int correct = 0;
            for (int i = 0; i < n; i++) if (pred[i] == labels[i]) correct++;
            List<RobustnessReport.Entry> entries = new ArrayList<>();
            List<RobustnessReport.PixelEntry> pixelEntries = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                Attack a = runs.get(i).attack();
                AttackOutcome o = outcomes.get(i);
                if (o.examples().size() != n) throw new IllegalArgumentException("run " + i + " has " + o.examples().size() + " examples, expected " + n);
                if (a instanceof PixelAttack p) {
                    pixelEntries.add(new RobustnessReport.PixelEntry(a.name(), p.pixels(), a.parameters(), o.summary(),
                            o.robust(Float.POSITIVE_INFINITY), auc(cleanScores, o, Float.POSITIVE_INFINITY)));
                } else if (a.minimumNorm()) {
                    SoftmaxScores adv = SoftmaxScores.of(model, o.adversarial(), batchSize);
                    for (float e : runs.get(i).thresholds())
                        entries.add(new RobustnessReport.Entry(a.name(), a.norm(), e, a.parameters(), o.summaryAt(e), o.robust(e), null,
                                AucSummary.of(cleanScores, adv, o, e)));
                } else {
                    float e = a.eps();
                    entries.add(new RobustnessReport.Entry(a.name(), a.norm(), e, a.parameters(), o.summary(), o.robust(e), o.stages(),
                            auc(cleanScores, o, e)));
                }
            }
            return new RobustnessReport(n, n == 0 ? Double.NaN : (double) correct / n, reportEps, targets != null, entries, pixelEntries,
                    RocAuc.oneVsRest(cleanScores.logProb(), labels, model.numClasses()));
        }
    }

    /** The AUCs of one run at one radius: its adversarial inputs scored once more by the model (n x k floats). */
    private AucSummary auc(SoftmaxScores clean, AttackOutcome o, float e) {
        return AucSummary.of(clean, SoftmaxScores.of(model, o.adversarial(), batchSize), o, e);
    }

    /** Builds a {@link RobustnessEvaluation}; {@link #build()} checks every value. */
    public static final class Builder {
        private Model model;
        private final EvaluationData given = new EvaluationData();
        private Dataset data;
        private List<Planned> attacks = new ArrayList<>();
        private float[] eps;
        private int batchSize = 256;
        private TargetChooser targets;
        private AttackRunner.Listener progress = (a, done, total) -> { };
        private Consumer<AttackOutcome> sink = o -> { };
        private EvalJournal journal;

        private Builder() {}

        /**
         * Sets the model to evaluate.
         *
         * @param m the model (required)
         * @return this builder
         */
        public Builder model(Model m) { this.model = m; return this; }

        /**
         * Examples held in memory: x [N, C, H, W] with their labels.
         *
         * @param x the inputs
         * @param labels their labels
         * @return this builder
         */
        public Builder data(Tensor x, int[] labels) { given.set(x, labels); return this; }

        /**
         * A dataset, read batch by batch by every attack run (never whole).
         *
         * @param ds the dataset
         * @return this builder
         */
        public Builder data(Dataset ds) { given.set(ds); return this; }

        /**
         * These attacks (replacing any given before), each at every radius of {@link #eps}.
         *
         * @param a the attacks
         * @return this builder
         */
        public Builder attacks(List<Attack> a) {
            attacks = new ArrayList<>();
            for (Attack at : a) attacks.add(new Planned(at, null));
            return this;
        }

        /**
         * One more attack, at these radii only (a minimum-norm attack is thresholded at them); with
         * none, at every radius of {@link #eps}. The report's eps are all radii, ascending.
         *
         * @param a the attack
         * @param radii its radii, none for the evaluation's
         * @return this builder
         */
        public Builder attack(Attack a, float... radii) {
            attacks.add(new Planned(java.util.Objects.requireNonNull(a, "attack"), radii.length == 0 ? null : radii.clone()));
            return this;
        }

        /**
         * Sets the radii every attack without its own runs at.
         *
         * @param e the radii, each &gt;= 0
         * @return this builder
         */
        public Builder eps(float... e) { this.eps = e.clone(); return this; }

        /**
         * Sets the examples per attack batch.
         *
         * @param b examples, &gt;= 1 (default 256)
         * @return this builder
         */
        public Builder batchSize(int b) { this.batchSize = b; return this; }

        /**
         * Targeted evaluation with these targets (default untargeted).
         *
         * @param t the target chooser
         * @return this builder
         */
        public Builder targets(TargetChooser t) { this.targets = t; return this; }

        /**
         * Reports progress to a listener after every batch.
         *
         * @param p the listener
         * @return this builder
         */
        public Builder progress(AttackRunner.Listener p) { this.progress = p; return this; }

        /**
         * Receives every run's full outcome (adversarial inputs, per-example results), e.g. for figures.
         *
         * @param sink the receiver
         * @return this builder
         */
        public Builder outcomes(Consumer<AttackOutcome> sink) { this.sink = sink; return this; }

        /**
         * Records every batch of every run in {@code j} and resumes from what it already holds (see {@link EvalJournal}).
         *
         * @param j the journal
         * @return this builder
         */
        public Builder journal(EvalJournal j) { this.journal = j; return this; }

        /**
         * Checks the values and builds the evaluation.
         *
         * @return the evaluation
         * @throws dev.feint.FeintException naming the parameter of a value missing or out of range
         * @throws IllegalStateException when the model or data is missing
         */
        public RobustnessEvaluation build() {
            if (model == null) throw new IllegalStateException("model is required");
            if (!given.given()) throw new IllegalStateException("data is required");
            if (attacks.isEmpty()) throw new BadParameterException("attacks", "must name at least one attack");
            boolean needsEps = false;
            for (Planned p : attacks) needsEps |= !(p.attack() instanceof PixelAttack) && p.eps() == null;
            if (needsEps && (eps == null || eps.length == 0)) throw new BadParameterException("eps", "must hold at least one radius");
            if (eps == null) eps = new float[0];
            for (float e : eps) checkEps(e);
            for (Planned p : attacks) if (p.eps() != null) for (float e : p.eps()) checkEps(e);
            if (batchSize < 1) throw new BadParameterException("batchSize", "must be >= 1, got " + batchSize);
            data = given.resolve(model);
            return new RobustnessEvaluation(this);
        }

        private static void checkEps(float e) {
            if (!(e >= 0) || !Float.isFinite(e)) throw new BadParameterException("eps", "must be finite numbers >= 0, got " + e);
        }

        /** The evaluation's eps as given when every attack runs at them, else every radius used, ascending. */
        private float[] reportEps() {
            boolean own = false;
            for (Planned p : attacks) own |= p.eps() != null;
            if (!own) return eps.clone();
            java.util.TreeSet<Float> all = new java.util.TreeSet<>();
            for (Planned p : attacks)
                if (!(p.attack() instanceof PixelAttack)) for (float e : p.radii(eps)) all.add(e);
            float[] out = new float[all.size()];
            int i = 0;
            for (float e : all) out[i++] = e;
            return out;
        }
    }
}
