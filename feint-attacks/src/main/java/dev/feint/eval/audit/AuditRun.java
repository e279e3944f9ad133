package dev.feint.eval.audit;

import dev.feint.attack.Attack;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;
import dev.feint.attack.gradient.Fgsm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.autograd.Reductions;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One audit in progress: the model, the data, the threat model (norm, eps), the budget, and every
 * attack run so far, kept by label so that checks share runs (the long PGD run at eps serves the
 * convergence, black-box, noise and grid checks) and the order of the checks does not matter.
 * Per example, a run gives "robust" flags: classified correctly before and after the attack.
 */
public final class AuditRun {
    /** What produced a run's flags. */
    public enum Kind { WHITE_BOX, BLACK_BOX, TRANSFER, NOISE }

    /** One run: {@code outcome} is null for runs that are not an {@link Attack} (transfer, noise). */
    public record Run(String label, Kind kind, float eps, boolean[] robust, AttackOutcome outcome, double seconds) {
        public double robustAccuracy() { return accuracy(robust); }
    }

    /** Told before every run: what is about to run. */
    @FunctionalInterface
    public interface Listener {
        void starting(String what);
    }

    private final DifferentiableModel model;
    private final DifferentiableModel surrogate;
    private final Tensor x;
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

    AuditRun(DifferentiableModel model, DifferentiableModel surrogate, Tensor x, int[] labels, Norm norm, float eps, long seed,
             int batch, AuditBudget budget, Listener listener) {
        this.model = model;
        this.surrogate = surrogate;
        this.x = x;
        this.labels = labels.clone();
        this.norm = norm;
        this.eps = eps;
        this.seed = seed;
        this.batch = batch;
        this.budget = budget;
        this.listener = listener;
        this.clean = correct(model, x, this.labels, batch);
    }

    public DifferentiableModel model() { return model; }

    /** The naturally trained model transfer attacks are crafted on, or null. */
    public DifferentiableModel surrogate() { return surrogate; }

    public Tensor x() { return x; }

    public int[] labels() { return labels.clone(); }

    public int size() { return labels.length; }

    public Norm norm() { return norm; }

    public float eps() { return eps; }

    public long seed() { return seed; }

    public int batchSize() { return batch; }

    public AuditBudget budget() { return budget; }

    /** Per example: classified correctly without attack. */
    public boolean[] cleanCorrect() { return clean.clone(); }

    public double cleanAccuracy() { return accuracy(clean); }

    /** The largest eps of the norm inside the model's bounds (Linf: the width of the box): an unbounded attack. */
    public float maxEps() { return (float) norm.maxEps(model.bounds(), model.inputSize()); }

    /** Every run so far, in the order they ran. */
    public List<Run> runs() { return List.copyOf(runs.values()); }

    /** Runs {@code attack} (once per label and eps) and returns its run. */
    public Run attack(String label, Kind kind, Attack attack) {
        float e = attack.eps();
        return memo(label, e, () -> {
            long t0 = System.nanoTime();
            AttackOutcome o = new AttackRunner(model).batchSize(batch).run(attack, x, labels, null);
            return new Run(label, kind, e, and(clean, o.robust(e)), o, (System.nanoTime() - t0) / 1e9);
        });
    }

    /** A run that is not an {@link Attack}: {@code robust} computes the flags (kept once per label and eps). */
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

    /** PGD with {@code steps} steps and {@code restarts} restarts at radius e, seeded from the audit's seed. */
    public Run pgd(float e, int steps, int restarts) {
        String label = "pgd-" + steps + (restarts > 1 ? "x" + restarts : "");
        return attack(label, Kind.WHITE_BOX, Pgd.builder().norm(norm).eps(e).steps(steps).restarts(restarts).seed(seed).build());
    }

    /**
     * The white-box attacks at the audit's eps, weakest first: FGSM (Linf only: it has no other
     * norm), PGD-weak, PGD-strong, PGD-strong with restarts. Each is at least as strong as the one
     * before it in a sound evaluation.
     */
    public List<Run> whiteBoxLadder() {
        List<Run> out = new ArrayList<>();
        if (norm == Norm.LINF) out.add(attack("fgsm", Kind.WHITE_BOX, Fgsm.builder().eps(eps).build()));
        out.add(pgd(eps, budget.weakSteps(), 1));
        out.add(pgd(eps, budget.strongSteps(), 1));
        out.add(pgd(eps, budget.strongSteps(), budget.restarts()));
        return out;
    }

    /**
     * Every white-box attack at the audit's eps: the ladder, and the long PGD on the margin loss
     * (arXiv:1902.06705, section 4.4: try more than one loss; the margin does not saturate where
     * cross-entropy does).
     */
    public List<Run> whiteBox() {
        List<Run> out = new ArrayList<>(whiteBoxLadder());
        out.add(attack("pgd-margin-" + budget.strongSteps(), Kind.WHITE_BOX, Pgd.builder().norm(norm).eps(eps)
                .steps(budget.strongSteps()).loss(Loss.MARGIN).seed(seed).build()));
        return out;
    }

    /** Per example: robust against every white-box attack (the white-box worst case). */
    public boolean[] whiteBoxRobust() {
        boolean[] r = clean.clone();
        for (Run run : whiteBox()) r = and(r, run.robust());
        return r;
    }

    /**
     * Per example: robust against every run so far at the audit's eps of one of {@code kinds} (all
     * kinds when none is given: the audit's robust accuracy); null when there was no such run.
     */
    public boolean[] worstCase(Kind... kinds) {
        List<Kind> want = kinds.length == 0 ? List.of(Kind.values()) : List.of(kinds);
        boolean[] r = null;
        for (Run run : runs.values())
            if (run.eps() == eps && want.contains(run.kind())) r = and(r == null ? clean : r, run.robust());
        return r;
    }

    /**
     * Whether the gradient attacks average over the model's randomness (EOT). Not yet: Feint has no
     * EOT wrapper, so for a randomised model the audit says the rand version is required and fails.
     */
    public boolean eot() { return false; }

    /** The randomness probe (forward passes on the same inputs), measured once. */
    public RandomisedModelCheck.Probe probe() {
        if (probe == null) {
            listener.starting("randomness probe (" + budget.probePasses() + " forward passes)");
            probe = RandomisedModelCheck.measure(model, x, batch, budget.probePasses());
        }
        return probe;
    }

    /** The fraction of true flags (NaN when empty). */
    public static double accuracy(boolean[] r) {
        if (r.length == 0) return Double.NaN;
        int c = 0;
        for (boolean b : r) if (b) c++;
        return (double) c / r.length;
    }

    /** Element-wise AND. */
    public static boolean[] and(boolean[] a, boolean[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " flags");
        boolean[] o = new boolean[a.length];
        for (int i = 0; i < o.length; i++) o[i] = a[i] && b[i];
        return o;
    }

    /** The fraction of examples robust in {@code base} but not in {@code other}: what {@code other} broke that base did not. */
    public static double brokenOnlyBy(boolean[] base, boolean[] other) {
        if (base.length == 0) return Double.NaN;
        int c = 0;
        for (int i = 0; i < base.length; i++) if (base[i] && !other[i]) c++;
        return (double) c / base.length;
    }

    /** Per example: the model classifies x correctly (batched, no graph). */
    static boolean[] correct(Model m, Tensor x, int[] labels, int batch) {
        int[] p = predict(m, x, batch);
        boolean[] ok = new boolean[labels.length];
        for (int i = 0; i < ok.length; i++) ok[i] = p[i] == labels[i];
        return ok;
    }

    /** Arg-max predictions of m on x, in batches. */
    static int[] predict(Model m, Tensor x, int batch) {
        int n = x.dim(0), d = m.inputSize();
        int[] out = new int[n];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            Tensor xb = rows(x, from, to, d);
            System.arraycopy(Reductions.argmaxLast(m.logits(xb)), 0, out, from, to - from);
        }
        return out;
    }

    /** Rows [from, to) of x as a new batch. */
    static Tensor rows(Tensor x, int from, int to, int d) {
        return Tensor.of(Arrays.copyOfRange(x.data(), from * d, to * d), to - from, x.dim(1), x.dim(2), x.dim(3));
    }
}
