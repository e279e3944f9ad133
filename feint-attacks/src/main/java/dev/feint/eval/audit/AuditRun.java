package dev.feint.eval.audit;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.Predictions;
import dev.feint.model.DifferentiableModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One audit in progress: the model, the data, the threat model (norm, eps), the budget, and every
 * attack run so far, kept by label so that checks share runs (the long PGD run at eps serves the
 * convergence, black-box, noise and grid checks) and the order of the checks does not matter.
 * Per example, a run gives "robust" flags: classified correctly before and after the attack.
 * The data is read a batch at a time ({@link #batches()}) by every run and check, never whole; a
 * run keeps its per-example results, not its adversarial inputs.
 */
public final class AuditRun {
    /** What produced a run's flags. */
    public enum Kind {
        /** A gradient attack on the model. */
        WHITE_BOX,
        /** An attack that only queries the model's outputs. */
        BLACK_BOX,
        /** Examples crafted on the surrogate, evaluated on the model. */
        TRANSFER,
        /** Uniform random noise in the eps-ball. */
        NOISE
    }

    /**
     * One run: {@code outcome} is null for runs that are not an {@link Attack} (transfer, noise), and
     * holds the per-example results without the adversarial inputs (its {@code adversarial()} is null).
     *
     * @param label the run's name in the report
     * @param kind what produced the flags
     * @param eps the radius
     * @param robust per example, classified correctly before and after
     * @param outcome the attack's outcome, or null for runs that are not attacks
     * @param seconds the run's wall-clock seconds
     */
    public record Run(String label, Kind kind, float eps, boolean[] robust, AttackOutcome outcome, double seconds) {
        /** {@return the fraction of examples still robust} */
        public double robustAccuracy() { return accuracy(robust); }
    }

    /** Told before every run: what is about to run. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called before a run starts.
         *
         * @param what the run's label
         */
        void starting(String what);
    }

    private final DifferentiableModel model;
    private final DifferentiableModel surrogate;
    private final Dataset data;
    private final int[] labels;
    private final Norm norm;
    private final float eps;
    private final long seed;
    private final int batch;
    private final AuditBudget budget;
    private final Listener listener;
    private final boolean[] clean;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private RandomisedModelCheck.Probe probe;

    AuditRun(DifferentiableModel model, DifferentiableModel surrogate, Dataset data, Norm norm, float eps, long seed,
             int batch, AuditBudget budget, Listener listener) {
        this.model = model;
        this.surrogate = surrogate;
        this.data = data;
        this.labels = data.labels();
        this.norm = norm;
        this.eps = eps;
        this.seed = seed;
        this.batch = batch;
        this.budget = budget;
        this.listener = listener;
        this.clean = Predictions.correct(Predictions.of(model, data, batch), labels);
    }

    /** {@return the model audited} */
    public DifferentiableModel model() { return model; }

    /** {@return the naturally trained model transfer attacks are crafted on, or null} */
    public DifferentiableModel surrogate() { return surrogate; }

    /** {@return the examples audited; read them with {@link #batches()}} */
    public Dataset data() { return data; }

    /** {@return the examples in order, {@link #batchSize()} at a time, each read on a background thread while the one before is in use} */
    public Iterable<Batch> batches() { return Batches.inOrder(data, batch).prefetched().epoch(0); }

    /** {@return the true labels (a copy)} */
    public int[] labels() { return labels.clone(); }

    /** {@return the number of examples audited} */
    public int size() { return labels.length; }

    /** {@return the norm of the threat model} */
    public Norm norm() { return norm; }

    /** {@return the radius the claim is made at} */
    public float eps() { return eps; }

    /** {@return the seed every attack run takes} */
    public long seed() { return seed; }

    /** {@return the examples per batch} */
    public int batchSize() { return batch; }

    /** {@return the audit's budget} */
    public AuditBudget budget() { return budget; }

    /** {@return per example: classified correctly without attack} */
    public boolean[] cleanCorrect() { return clean.clone(); }

    /** {@return the fraction classified correctly without attack} */
    public double cleanAccuracy() { return accuracy(clean); }

    /** {@return the largest eps of the norm inside the model's bounds (Linf: the width of the box): an unbounded attack} */
    public float maxEps() { return (float) norm.maxEps(model.bounds(), model.inputSize()); }

    /** {@return every run so far, in the order they ran} */
    public List<Run> runs() { return List.copyOf(runs.values()); }

    /** Runs {@code attack} (once per label and eps) and returns its run. */
    private Run attack(String label, Kind kind, Attack attack) {
        float e = attack.eps();
        return memo(label, e, () -> {
            long t0 = System.nanoTime();
            AttackOutcome o = new AttackRunner(model).batchSize(batch).keepInputs(false).run(attack, data, null);
            return new Run(label, kind, e, and(clean, o.robust(e)), o, (System.nanoTime() - t0) / 1e9);
        });
    }

    /**
     * A run that is not an {@link Attack}: {@code robust} computes the flags (kept once per label and eps).
     *
     * @param label the run's name (runs are kept once per label and eps)
     * @param kind what produces the flags
     * @param e the radius
     * @param robust computes the per-example flags
     * @return the run
     */
    public Run custom(String label, Kind kind, float e, Supplier<boolean[]> robust) {
        return memo(label, e, () -> {
            long t0 = System.nanoTime();
            boolean[] r = and(clean, robust.get());
            return new Run(label, kind, e, r, null, (System.nanoTime() - t0) / 1e9);
        });
    }

    private Run memo(String label, float e, Supplier<Run> make) {
        String key = label + "@" + e;
        Run r = runs.get(key);
        if (r == null) {
            listener.starting(label + " at eps " + e);
            r = make.get();
            runs.put(key, r);
        }
        return r;
    }

    /**
     * Runs the registry's attack for {@code spec} at the audit's norm (and the audit's seed, where
     * the attack takes one), once per label and eps.
     *
     * @param label the run's name
     * @param kind what produces the flags
     * @param spec the attack
     * @return the run
     */
    public Run attack(String label, Kind kind, AttackSpec spec) { return attack(label, kind, create(spec)); }

    /**
     * The registry's attack for {@code spec} at the audit's norm, with the audit's seed where it takes one.
     *
     * @param spec the attack's spec
     * @return the attack
     */
    public Attack create(AttackSpec spec) {
        AttackSpec s = spec.norm(norm);
        if (AttackRegistry.entry(s.name()).takes("seed")) s = s.with("seed", seed);
        return AttackRegistry.create(s);
    }

    /**
     * PGD with {@code steps} steps and {@code restarts} restarts at radius e.
     *
     * @param e the radius
     * @param steps the steps
     * @param restarts the restarts
     * @return the run
     */
    public Run pgd(float e, int steps, int restarts) {
        return attack("pgd-" + steps + (restarts > 1 ? "x" + restarts : ""), Kind.WHITE_BOX,
                AttackSpec.of("pgd").eps(e).with("steps", steps).with("restarts", restarts));
    }

    /**
     * APGD (arXiv:2003.01690) on {@code loss} at the audit's eps, with the long run's steps.
     *
     * @param loss the loss
     * @param restarts the restarts
     * @return the run
     */
    public Run apgd(Loss loss, int restarts) {
        return attack("apgd-" + loss.name() + "-" + budget.strongSteps() + (restarts > 1 ? "x" + restarts : ""), Kind.WHITE_BOX,
                AttackSpec.of("apgd").eps(eps).with("loss", loss).with("steps", budget.strongSteps()).with("restarts", restarts));
    }

    /**
     * The ladders of white-box attacks at the audit's eps, weakest first, each rung at least as
     * strong as the one before it in a sound evaluation: FGSM (Linf only: it has no other norm),
     * PGD-weak, PGD-strong, PGD-strong with restarts; and APGD-CE without and with restarts.
     *
     * @return the ladders, each weakest first
     */
    public List<List<Run>> whiteBoxLadders() {
        List<Run> pgd = new ArrayList<>();
        if (norm == Norm.LINF) pgd.add(attack("fgsm", Kind.WHITE_BOX, AttackSpec.of("fgsm").eps(eps)));
        pgd.add(pgd(eps, budget.weakSteps(), 1));
        pgd.add(pgd(eps, budget.strongSteps(), 1));
        pgd.add(pgd(eps, budget.strongSteps(), budget.restarts()));
        return List.of(pgd, List.of(apgd(Loss.CROSS_ENTROPY, 1), apgd(Loss.CROSS_ENTROPY, budget.restarts())));
    }

    /**
     * Every white-box attack at the audit's eps: the ladders, APGD on the DLR loss (or on the margin
     * with fewer than {@link ClassCountCheck#DLR_MIN_CLASSES} classes, where DLR is undefined), and
     * APGD-T against the top classes (arXiv:1902.06705, section 4.4: more than one loss, and targeted
     * attacks). With AutoAttack's components this is its standard version without FAB and Square.
     *
     * @return the runs
     */
    public List<Run> whiteBox() {
        List<Run> out = new ArrayList<>();
        for (List<Run> l : whiteBoxLadders()) out.addAll(l);
        out.add(apgd(model.numClasses() >= ClassCountCheck.DLR_MIN_CLASSES ? Loss.DLR : Loss.MARGIN, 1));
        int targets = Math.min(budget.targets(), model.numClasses() - 1);
        if (targets > 0)
            out.add(attack("apgd-t-" + budget.strongSteps() + "x" + targets + "t", Kind.WHITE_BOX,
                    AttackSpec.of("apgd-t").eps(eps).with("steps", budget.strongSteps()).with("targets", targets)));
        return out;
    }

    /** {@return per example: robust against every white-box attack (the white-box worst case)} */
    public boolean[] whiteBoxRobust() {
        boolean[] r = clean.clone();
        for (Run run : whiteBox()) r = and(r, run.robust());
        return r;
    }

    /**
     * Per example: robust against every run so far at the audit's eps of one of {@code kinds} (all
     * kinds when none is given: the audit's robust accuracy); null when there was no such run.
     *
     * @param kinds the kinds of runs to combine (none: all)
     * @return the flags, or null when there was no such run
     */
    public boolean[] worstCase(Kind... kinds) {
        List<Kind> want = kinds.length == 0 ? List.of(Kind.values()) : List.of(kinds);
        boolean[] r = null;
        for (Run run : runs.values())
            if (run.eps() == eps && want.contains(run.kind())) r = and(r == null ? clean : r, run.robust());
        return r;
    }

    /** {@return the randomness probe (forward passes on the same inputs), measured once} */
    public RandomisedModelCheck.Probe probe() {
        if (probe == null) {
            listener.starting("randomness probe (" + budget.probePasses() + " forward passes)");
            probe = RandomisedModelCheck.measure(model, batches(), size(), budget.probePasses());
        }
        return probe;
    }

    /**
     * The fraction of true flags (NaN when empty).
     *
     * @param r the flags
     * @return the fraction
     */
    public static double accuracy(boolean[] r) {
        if (r.length == 0) return Double.NaN;
        int c = 0;
        for (boolean b : r) if (b) c++;
        return (double) c / r.length;
    }

    /**
     * Element-wise AND.
     *
     * @param a the first flags
     * @param b the second flags
     * @return per element, a and b
     */
    public static boolean[] and(boolean[] a, boolean[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " flags");
        boolean[] o = new boolean[a.length];
        for (int i = 0; i < o.length; i++) o[i] = a[i] && b[i];
        return o;
    }

    /**
     * The fraction of examples robust in {@code base} but not in {@code other}: what {@code other} broke that base did not.
     *
     * @param base the flags robust under the first runs
     * @param other the flags under the other
     * @return the fraction
     */
    public static double brokenOnlyBy(boolean[] base, boolean[] other) {
        if (base.length == 0) return Double.NaN;
        int c = 0;
        for (int i = 0; i < base.length; i++) if (base[i] && !other[i]) c++;
        return (double) c / base.length;
    }
}
