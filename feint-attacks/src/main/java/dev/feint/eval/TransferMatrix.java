package dev.feint.eval;

import dev.feint.FeintException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer matrix of a set of models: every attack at every eps crafted on each model and
 * evaluated on each ({@link TransferEvaluation} once per source, all models as targets), so
 * {@code robust(a, eps)[s][t]} is the robust accuracy of target t on examples crafted on
 * source s; the diagonal is white-box.
 *
 * <pre>{@code
 * TransferMatrix.Report m = TransferMatrix.builder().models(List.of(a, b, c)).data(test.slice(0, 200))
 *         .attacks(List.of(MiFgsm.builder().eps(0.1f).build())).eps(0.1f).build().run();
 * double[][] acc = m.robust("mifgsm", 0.1f);
 * }</pre>
 */
public final class TransferMatrix {
    private final Builder b;

    private TransferMatrix(Builder b) { this.b = b; }

    /** {@return a builder; the models, data, attacks and eps are required} */
    public static Builder builder() { return new Builder(); }

    /**
     * Runs one transfer evaluation per source model.
     *
     * @return the matrix
     */
    public Report run() {
        List<TransferReport> bySource = new ArrayList<>();
        for (NamedModel s : b.models)
            bySource.add(TransferEvaluation.builder().surrogate(s).targets(b.models).data(b.data).attacks(b.attacks).eps(b.eps)
                    .batchSize(b.batchSize).progress(b.progress).build().run());
        return new Report(b.models.stream().map(NamedModel::name).toList(), bySource);
    }

    /**
     * One {@link TransferReport} per source model, each with every model as a target.
     *
     * @param models the models' names, in order
     * @param bySource one report per source model, in that order
     */
    public record Report(List<String> models, List<TransferReport> bySource) {
        /** Copies the lists, so that the record stays immutable. */
        public Report {
            models = List.copyOf(models);
            bySource = List.copyOf(bySource);
        }

        /** {@return clean accuracy of each model} */
        public double[] clean() { return bySource.getFirst().targetClean().clone(); }

        /** {@return the attack names, in run order} */
        public List<String> attacks() { return bySource.getFirst().attacks(); }

        /** {@return the radii, ascending} */
        public float[] eps() { return bySource.getFirst().eps().clone(); }

        /**
         * [source][target] robust accuracy for attack at eps.
         *
         * @param attack the attack's name
         * @param e the radius
         * @return robust accuracy, [source][target]
         * @throws dev.feint.FeintException when the attack did not run at that eps
         */
        public double[][] robust(String attack, float e) {
            double[][] m = new double[models.size()][];
            for (int s = 0; s < m.length; s++) {
                TransferReport.Row r = bySource.get(s).row(attack, e);
                if (r == null) throw new FeintException("no run of " + attack + " at eps " + e + " in the transfer matrix");
                m[s] = r.transfer().clone();
            }
            return m;
        }

        /** {@return the matrix as JSON} */
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("models", models);
            o.put("examples", (long) bySource.getFirst().examples());
            List<Object> c = new ArrayList<>();
            for (double v : clean()) c.add(v);
            o.put("cleanAccuracy", c);
            List<Object> cells = new ArrayList<>();
            for (String a : attacks())
                for (float e : eps()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("attack", a);
                    m.put("eps", (double) e);
                    List<Object> rows = new ArrayList<>();
                    for (double[] r : robust(a, e)) {
                        List<Object> row = new ArrayList<>();
                        for (double v : r) row.add(v);
                        rows.add(row);
                    }
                    m.put("robustAccuracy", rows);
                    cells.add(m);
                }
            o.put("matrices", cells);
            return o;
        }

        /** {@return one table per attack and eps: rows crafted on, columns evaluated on} */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder("## Transfer matrix\n\n");
            sb.append(bySource.getFirst().examples()).append(" examples; robust accuracy of the column's model on examples crafted "
                    + "on the row's (the diagonal is white-box).\n\n");
            sb.append("| clean |");
            for (String m : models) sb.append(' ').append(m).append(" |");
            sb.append("\n|---|").append("---:|".repeat(models.size())).append("\n|  |");
            for (double v : clean()) sb.append(' ').append(RobustnessReport.pct(v)).append(" |");
            sb.append("\n\n");
            for (String a : attacks())
                for (float e : eps()) {
                    sb.append("### ").append(a).append(", eps ").append(e).append("\n\n| crafted on \\ evaluated on |");
                    for (String m : models) sb.append(' ').append(m).append(" |");
                    sb.append("\n|---|").append("---:|".repeat(models.size())).append('\n');
                    double[][] r = robust(a, e);
                    for (int s = 0; s < r.length; s++) {
                        sb.append("| ").append(models.get(s)).append(" |");
                        for (double v : r[s]) sb.append(' ').append(RobustnessReport.pct(v)).append(" |");
                        sb.append('\n');
                    }
                    sb.append('\n');
                }
            return sb.toString();
        }
    }

    /** Builds a {@link TransferMatrix}; {@link #build()} checks every value. */
    public static final class Builder extends TransferRunsBuilder<Builder> {
        private List<NamedModel> models = List.of();

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * At least two models, each both a source and a target.
         *
         * @param m the models
         * @return this builder
         */
        public Builder models(List<NamedModel> m) { this.models = List.copyOf(m); return this; }

        /**
         * Checks the values and builds the matrix.
         *
         * @return the matrix
         * @throws dev.feint.FeintException naming the value missing or out of range
         */
        public TransferMatrix build() {
            if (models.size() < 2) throw new dev.feint.BadParameterException("models", "must hold at least two models for a transfer matrix, got " + models.size());
            List<String> names = new ArrayList<>();
            for (NamedModel m : models) {
                if (names.contains(m.name())) throw new dev.feint.BadParameterException("models", "holds " + m.name() + " twice");
                names.add(m.name());
            }
            // Checks everything (data, attacks, eps) before the first source runs.
            if (!given.given()) throw new IllegalStateException("data is required");
            data = given.resolve(models.getFirst().model());
            TransferEvaluation.builder().surrogate(models.getFirst()).targets(models).data(data).attacks(attacks).eps(eps)
                    .batchSize(batchSize).build();
            return new TransferMatrix(this);
        }
    }
}
