package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.data.Dataset;
import dev.feint.model.EnsembleModel;
import dev.feint.model.Model;
import dev.feint.tensor.FrozenWeights;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The transfer (black-box, surrogate) threat model: adversarial examples are crafted with
 * white-box access to a surrogate (several surrogates: their logit ensemble, see
 * {@link EnsembleModel}) and handed as they are to each target, which is never queried by the
 * attack. Per fixed-eps attack and eps, the report puts the surrogate's white-box robust
 * accuracy beside each target's transfer robust accuracy (the fraction of all examples the
 * target still classifies correctly). Untargeted; random streams come from (seed, dataset index)
 * as in every evaluation, so the result does not depend on the batch size. A {@link Dataset} is
 * read a batch at a time by every pass (the clean ones and each attack run), never whole, and each
 * crafted batch is replayed on the targets as it is done, so memory is bounded by the batch
 * (unless {@link Builder#outcomes} asks for the runs' adversarial inputs).
 *
 * <pre>{@code
 * TransferReport r = TransferEvaluation.builder()
 *         .surrogates(List.of(new NamedModel("lenet", NetworkModel.of(lenet))))
 *         .targets(List.of(new NamedModel("lenet-pgd", NetworkModel.of(robust))))
 *         .data(testSet.slice(0, 500)).attacks(List.of(MiFgsm.builder().eps(0.1f).build(), DiFgsm.builder().eps(0.1f).build()))
 *         .eps(0.05f, 0.1f).build().run();
 * double transfer = r.rows().get(0).transfer()[0];
 * }</pre>
 */
public final class TransferEvaluation {
    private final NamedModel surrogate;
    private final List<NamedModel> targets;
    private final Dataset data;
    private final int[] labels;
    private final List<Attack> attacks;
    private final float[] eps;
    private final int batchSize;
    private final AttackRunner.Listener progress;
    private final Consumer<AttackOutcome> sink;
    private final boolean keepInputs;

    private TransferEvaluation(Builder b) {
        this.surrogate = b.surrogates.size() == 1 ? b.surrogates.getFirst()
                : new NamedModel(String.join("+", b.surrogates.stream().map(NamedModel::name).toList()),
                        EnsembleModel.of(b.surrogates.stream().map(NamedModel::model).toList()));
        this.targets = List.copyOf(b.targets);
        this.data = b.data;
        this.labels = b.data.labels();
        this.attacks = List.copyOf(b.attacks);
        this.eps = b.eps.clone();
        this.batchSize = b.batchSize;
        this.progress = b.progress;
        this.sink = b.sink;
        this.keepInputs = b.keepInputs;
    }

    /** {@return a builder; the surrogates, targets, data, attacks and eps are required} */
    public static Builder builder() { return new Builder(); }

    /** {@return the surrogate the attacks run on (the ensemble when several were given)} */
    public NamedModel surrogate() { return surrogate; }

    /**
     * Crafts every attack at every eps on the surrogate and evaluates the examples on every target, with weights frozen.
     *
     * @return the report
     */
    public TransferReport run() {
        try (var frozen = FrozenWeights.open()) {
            int n = labels.length;
            double[] targetClean = new double[targets.size()];
            for (int t = 0; t < targets.size(); t++)
                targetClean[t] = fraction(Predictions.correct(Predictions.of(targets.get(t).model(), data, batchSize), labels));
            double clean = fraction(Predictions.correct(Predictions.of(surrogate.model(), data, batchSize), labels));
            AttackRunner runner = new AttackRunner(surrogate.model()).batchSize(batchSize).progress(progress).keepInputs(keepInputs);
            List<TransferReport.Row> rows = new ArrayList<>();
            for (Attack a : attacks)
                for (float e : eps) {
                    Attack ae = a.withEps(e);
                    boolean[][] robust = new boolean[targets.size()][n];
                    // Each crafted batch is replayed on the targets as it is done, so the run holds no N x C x H x W output.
                    AttackOutcome o = runner.batches((from, adv) -> {
                        for (int t = 0; t < targets.size(); t++) {
                            int[] p = Predictions.of(targets.get(t).model(), adv, batchSize);
                            for (int i = 0; i < p.length; i++) robust[t][from + i] = p[i] == labels[from + i];
                        }
                    }).run(ae, data, null);
                    sink.accept(o);
                    int kept = 0;
                    for (ExampleResult r : o.examples()) if (r.adversarialPrediction() == r.label()) kept++;
                    double[] transfer = new double[targets.size()];
                    for (int t = 0; t < targets.size(); t++) transfer[t] = fraction(robust[t]);
                    rows.add(new TransferReport.Row(a.name(), e, ae.parameters(), n == 0 ? Double.NaN : (double) kept / n, transfer, robust));
                }
            return new TransferReport(surrogate.name(), targets.stream().map(NamedModel::name).toList(), n, eps, clean, targetClean, rows);
        }
    }

    private static double fraction(boolean[] ok) {
        int c = 0;
        for (boolean b : ok) if (b) c++;
        return ok.length == 0 ? Double.NaN : (double) c / ok.length;
    }

    /** Builds a {@link TransferEvaluation}; {@link #build()} checks every value. */
    public static final class Builder extends TransferRunsBuilder<Builder> {
        private List<NamedModel> surrogates = List.of(), targets = List.of();
        private Consumer<AttackOutcome> sink = o -> { };
        private boolean keepInputs;

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * One surrogate, or several (attacked as the ensemble of their averaged logits).
         *
         * @param s the surrogates
         * @return this builder
         */
        public Builder surrogates(List<NamedModel> s) { this.surrogates = List.copyOf(s); return this; }

        /**
         * Sets the one surrogate.
         *
         * @param s the model the attacks run on
         * @return this builder
         */
        public Builder surrogate(NamedModel s) { return surrogates(List.of(s)); }

        /**
         * The models the crafted examples are evaluated on (the surrogate itself may be one).
         *
         * @param t the target models
         * @return this builder
         */
        public Builder targets(List<NamedModel> t) { this.targets = List.copyOf(t); return this; }

        /**
         * Receives every run on the surrogate (adversarial inputs, per-example results). Without it
         * no run holds its N x C x H x W adversarial inputs: each batch is replayed and dropped.
         *
         * @param s the receiver
         * @return this builder
         */
        public Builder outcomes(Consumer<AttackOutcome> s) {
            this.sink = s;
            this.keepInputs = true;
            return this;
        }

        /**
         * Checks the values and builds the evaluation.
         *
         * @return the evaluation
         * @throws dev.feint.FeintException naming the value missing or out of range
         */
        public TransferEvaluation build() {
            if (surrogates.isEmpty()) throw new FeintException("transfer evaluation: at least one surrogate is required");
            if (targets.isEmpty()) throw new FeintException("transfer evaluation: at least one target is required");
            if (!given.given()) throw new IllegalStateException("data is required");
            if (attacks.isEmpty()) throw new dev.feint.BadParameterException("attacks", "must name at least one attack");
            for (Attack a : attacks)
                if (a.minimumNorm() || a instanceof PixelAttack)
                    throw new dev.feint.BadParameterException("attacks", "holds " + a.name() + ", which has no eps budget; a transfer evaluation needs fixed-eps attacks"
                            + " (fgsm, pgd, mifgsm, difgsm, ...)");
            if (eps == null || eps.length == 0) throw new dev.feint.BadParameterException("eps", "must hold at least one radius");
            for (float e : eps)
                if (!(e >= 0) || !Float.isFinite(e)) throw new dev.feint.BadParameterException("eps", "must be finite numbers >= 0, got " + e);
            if (batchSize < 1) throw new dev.feint.BadParameterException("batchSize", "must be >= 1, got " + batchSize);
            Model first = surrogates.getFirst().model();
            data = given.resolve(first);
            for (NamedModel m : surrogates) AttackRunner.checkData(m.model(), data.exampleShape(), data.labels());
            for (NamedModel m : targets) AttackRunner.checkData(m.model(), data.exampleShape(), data.labels());
            for (NamedModel m : targets)
                if (!m.model().bounds().equals(first.bounds()))
                    throw new FeintException("target " + m.name() + " takes inputs in " + m.model().bounds() + " but the surrogate in "
                            + first.bounds() + ": the crafted inputs would not be valid for it");
            return new TransferEvaluation(this);
        }
    }
}
