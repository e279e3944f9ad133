package dev.feint.eval.audit;

import dev.feint.FeintException;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.eval.EvaluationData;
import dev.feint.model.DifferentiableModel;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * An evaluation that audits itself: runs the checks of Carlini et al., "On Evaluating Adversarial
 * Robustness" (arXiv:1902.06705) and AutoAttack's own warnings (arXiv:2003.01690) on a model at one
 * threat model (norm, eps) and says, check by check and with the figure that decided it, whether a
 * robust accuracy measured there can be trusted. The library entry point behind {@code feint audit}.
 *
 * <p>Checks, in report order ({@link #standardChecks}): {@link ClassCountCheck},
 * {@link ProbabilityOutputCheck}, {@link RandomisedModelCheck}, {@link GradientHealthCheck},
 * {@link UnboundedAttackCheck}, {@link MonotoneEpsCheck}, {@link ConvergenceCheck},
 * {@link BlackBoxCheck}, {@link TransferCheck} (with a surrogate), {@link NoiseCheck}. Attacks come
 * from the {@link dev.feint.attack.AttackRegistry}: FGSM, PGD (short, long, long with restarts,
 * over an eps grid and unbounded), APGD-CE (with and without restarts), APGD-DLR, APGD-T, Square
 * with AutoAttack's settings, MI-FGSM on the surrogate, and AutoAttack's rand version for a
 * randomised model; its robust accuracy is the per-example worst case over all of them at eps.
 *
 * <p>Parameters: {@code model} (required, differentiable); {@code data} (required); {@code eps}
 * (required, > 0 and below the unbounded radius); {@code norm} (default linf); {@code surrogate}
 * (default none: a naturally trained model for the transfer check); {@code budget} (default
 * {@link AuditBudget#DEFAULT}); {@code seed} (default 0); {@code batchSize} (default 256). A
 * {@link Dataset} is read a batch at a time by every attack run and check, never whole.
 *
 * <pre>{@code
 * AuditReport r = Audit.builder().model(NetworkModel.of(net)).data(testSet.slice(0, 500)).eps(0.1f).build().run();
 * System.out.print(r.toMarkdown());
 * if (r.verdict() == Verdict.FAIL) ...
 * }</pre>
 */
public final class Audit {
    private final Builder b;

    private Audit(Builder b) { this.b = b; }

    /** {@return a builder; model, data, norm and eps are required} */
    public static Builder builder() { return new Builder(); }

    /**
     * The checks of a standard audit, in report order; the transfer check only with a surrogate.
     *
     * @param surrogate whether a surrogate model was given
     * @return the checks, new instances
     */
    public static List<AuditCheck> standardChecks(boolean surrogate) {
        List<AuditCheck> c = new ArrayList<>(List.of(new ClassCountCheck(), new ProbabilityOutputCheck(), new RandomisedModelCheck(),
                new GradientHealthCheck(), new UnboundedAttackCheck(), new MonotoneEpsCheck(), new ConvergenceCheck(), new BlackBoxCheck()));
        if (surrogate) c.add(new TransferCheck());
        c.add(new NoiseCheck());
        return c;
    }

    /**
     * Runs every check on shared attack runs, with the model's weights frozen for the whole audit.
     *
     * @return the report
     */
    public AuditReport run() {
        try (var frozen = FrozenWeights.open()) {          // weights fixed for the whole audit
            AuditRun run = new AuditRun(b.model, b.surrogate, b.data, b.norm, b.eps, b.seed, b.batchSize, b.budget, b.listener);
            List<CheckResult> results = new ArrayList<>();
            for (AuditCheck c : b.checks) results.add(c.run(run));
            boolean[] all = run.worstCase(), white = run.worstCase(AuditRun.Kind.WHITE_BOX);
            return new AuditReport(run.size(), b.norm, b.eps, run.cleanAccuracy(), all == null ? Double.NaN : AuditRun.accuracy(all),
                    white == null ? Double.NaN : AuditRun.accuracy(white), results, run.runs());
        }
    }

    /** Builds an {@link Audit}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private DifferentiableModel model, surrogate;
        private final EvaluationData given = new EvaluationData();
        private Dataset data;
        private Norm norm = Norm.LINF;
        private Float eps;
        private long seed;
        private int batchSize = 256;
        private AuditBudget budget = AuditBudget.DEFAULT;
        private List<AuditCheck> checks;
        private AuditRun.Listener listener = what -> { };

        private Builder() {}

        /**
         * Sets the model audited.
         *
         * @param m the model (required)
         * @return this builder
         */
        public Builder model(DifferentiableModel m) { this.model = m; return this; }

        /**
         * A naturally trained model of the same task: adds the transfer check.
         *
         * @param m the surrogate, with the model's inputs and classes
         * @return this builder
         */
        public Builder surrogate(DifferentiableModel m) { this.surrogate = m; return this; }

        /**
         * Examples held in memory: x [N, C, H, W] with their labels.
         *
         * @param x the inputs
         * @param labels their labels
         * @return this builder
         */
        public Builder data(Tensor x, int[] labels) { given.set(x, labels); return this; }

        /**
         * A dataset, read batch by batch by every attack run and check (never whole).
         *
         * @param ds the dataset
         * @return this builder
         */
        public Builder data(Dataset ds) { given.set(ds); return this; }

        /**
         * Sets the norm of the threat model.
         *
         * @param n linf, l2 or l1 (default linf)
         * @return this builder
         */
        public Builder norm(Norm n) { this.norm = n; return this; }

        /**
         * Sets the radius the robustness claim is made at.
         *
         * @param e the radius, &gt; 0 and below the norm's unbounded radius (required)
         * @return this builder
         */
        public Builder eps(float e) { this.eps = e; return this; }

        /**
         * Sets the seed every attack run takes.
         *
         * @param s the seed (default 0)
         * @return this builder
         */
        public Builder seed(long s) { this.seed = s; return this; }

        /**
         * Sets the examples per batch.
         *
         * @param bs examples, &gt;= 1 (default 256)
         * @return this builder
         */
        public Builder batchSize(int bs) { this.batchSize = bs; return this; }

        /**
         * Sets how much the audit spends.
         *
         * @param bu the budget (default {@link AuditBudget#DEFAULT})
         * @return this builder
         */
        public Builder budget(AuditBudget bu) { this.budget = bu; return this; }

        /**
         * The checks to run (default {@link #standardChecks}).
         *
         * @param c the checks
         * @return this builder
         */
        public Builder checks(List<AuditCheck> c) { this.checks = List.copyOf(c); return this; }

        /**
         * Told before every attack run (for progress).
         *
         * @param l the listener
         * @return this builder
         */
        public Builder listener(AuditRun.Listener l) { this.listener = l; return this; }

        /**
         * Checks the values and builds the audit.
         *
         * @return the audit
         * @throws dev.feint.FeintException naming the value missing or out of range
         */
        public Audit build() {
            if (model == null) throw new FeintException("audit: model is required");
            if (!given.given()) throw new FeintException("audit: data is required");
            if (given.size() == 0) throw new FeintException("audit: data has no examples");
            if (norm == null) throw new FeintException("audit: norm is required");
            if (norm == Norm.L0)
                throw new FeintException("audit: " + FeintException.parameter("norm") + " l0 is not supported (expected linf, l2 or l1)");
            if (eps == null) throw new FeintException("audit: eps is required");
            double max = norm.maxEps(model.bounds(), model.inputSize());
            if (!(eps > 0) || !(eps < max))
                throw new FeintException("audit: " + FeintException.parameter("eps") + " must be > 0 and below the unbounded " + norm.id()
                        + " radius " + (float) max + " of the model's bounds " + model.bounds() + ", got " + eps);
            if (batchSize < 1)
                throw new FeintException("audit: " + FeintException.parameter("batchSize") + " must be >= 1, got " + batchSize);
            if (budget == null) throw new FeintException("audit: budget is required");
            data = given.resolve(model);
            if (surrogate != null) {
                if (surrogate.numClasses() != model.numClasses() || !java.util.Arrays.equals(surrogate.inputShape(), model.inputShape()))
                    throw new FeintException("audit: the surrogate model must have the model's inputs " + java.util.Arrays.toString(model.inputShape())
                            + " and " + model.numClasses() + " classes, got " + java.util.Arrays.toString(surrogate.inputShape()) + " and "
                            + surrogate.numClasses());
            }
            if (checks == null) checks = standardChecks(surrogate != null);
            for (AuditCheck c : checks)
                if (c instanceof TransferCheck && surrogate == null) throw new FeintException("audit: the transfer check needs a surrogate model");
            return new Audit(this);
        }
    }
}
