package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackBuilder;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.Attacks;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.eval.audit.AuditBudget;
import dev.feint.model.LoadedModel;
import dev.feint.model.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A robustness evaluation in a few lines: a model, the data, the attacks (each at its own eps),
 * then {@link #run()}. Clean accuracy, every attack's robust accuracy, the per-example worst case
 * and, on request, the audit of the figure ({@link #audit()}); the same computation as
 * {@code feint eval --attacks} ({@link RobustnessEvaluation}). Settings are immutable: each call
 * returns a new evaluation.
 *
 * <pre>{@code
 * LoadedModel model = Models.load(Path.of("demo/models/fmnist-lenet-pgd.safetensors"));
 * RobustnessResult r = Evaluation.of(model)
 *         .on(Datasets.open(Path.of("demo/fashion-mnist-1k")), 200)
 *         .attack(Attacks.pgd().eps(0.1).steps(20))
 *         .attack(AutoAttack.standard(Norm.LINF, 0.1).steps(20).queries(500))
 *         .run();
 * System.out.printf("clean %.3f, PGD %.3f, worst case %.3f%n", r.cleanAccuracy(), r.robustAccuracy("pgd"), r.worstCase());
 * r.writeReport(Path.of("target/robustness"));
 * }</pre>
 */
public final class Evaluation {
    /** The model with what reports show of it. */
    record Named(String name, Model model, List<String> classNames, Map<String, String> metadata) {}

    private final Named model;
    private final Dataset data;
    private final List<Object> attacks; // AttackSpec (built at run, with the seed) or Attack
    private final float[] eps;
    private final long seed;
    private final boolean seeded;
    private final AuditBudget audit; // null: no audit
    private final int batchSize;
    private final AttackRunner.Listener progress;

    private Evaluation(Named model, Dataset data, List<Object> attacks, float[] eps, long seed, boolean seeded, AuditBudget audit,
                       int batchSize, AttackRunner.Listener progress) {
        this.model = model;
        this.data = data;
        this.attacks = List.copyOf(attacks);
        this.eps = eps;
        this.seed = seed;
        this.seeded = seeded;
        this.audit = audit;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /**
     * Evaluates a model read by {@link dev.feint.model.Models#load} (its name, class names and metadata go into the report).
     *
     * @param model the model
     * @return an evaluation with no data and no attacks yet
     */
    public static Evaluation of(LoadedModel model) {
        Objects.requireNonNull(model, "model");
        return new Evaluation(new Named(model.name(), model.model(), model.classNames(), model.metadata()), null, List.of(), null, 0, false,
                null, 256, (a, d, t) -> { });
    }

    /**
     * Evaluates a model built in code, named {@code "model"} in reports.
     *
     * @param model the model (white-box attacks need a {@link dev.feint.model.DifferentiableModel})
     * @return an evaluation with no data and no attacks yet
     */
    public static Evaluation of(Model model) {
        Objects.requireNonNull(model, "model");
        List<String> names = new ArrayList<>();
        for (int c = 0; c < model.numClasses(); c++) names.add(Integer.toString(c));
        return new Evaluation(new Named("model", model, names, Map.of()), null, List.of(), null, 0, false, null, 256, (a, d, t) -> { });
    }

    /**
     * The data to evaluate on, all of it.
     *
     * @param data e.g. {@code Datasets.open(Path.of("demo/fashion-mnist-1k"))}
     * @return a new evaluation
     */
    public Evaluation on(Dataset data) {
        return new Evaluation(model, Objects.requireNonNull(data, "data"), attacks, eps, seed, seeded, audit, batchSize, progress);
    }

    /**
     * The first {@code examples} examples of the data.
     *
     * @param data the dataset
     * @param examples how many, from 1 to {@code data.size()}
     * @return a new evaluation
     * @throws FeintException when {@code examples} is out of range, naming it and the dataset's size
     */
    public Evaluation on(Dataset data, int examples) {
        Objects.requireNonNull(data, "data");
        if (examples < 1 || examples > data.size())
            throw new FeintException("evaluation: examples = " + examples + ", expected 1.." + data.size() + " (the size of " + data.name() + ")");
        return on(data.slice(0, examples));
    }

    /**
     * One more attack, at the eps of its builder (or the evaluation's {@link #eps} when it gives none).
     *
     * @param attack e.g. {@code Attacks.pgd().eps(0.1).steps(20)}
     * @return a new evaluation
     */
    public Evaluation attack(AttackBuilder attack) { return attack(attack.spec()); }

    /**
     * One more attack given as data.
     *
     * @param attack e.g. {@code AttackSpec.parse("square:eps=0.1,queries=1000")}
     * @return a new evaluation
     */
    public Evaluation attack(AttackSpec attack) {
        Attacks.of(attack); // an unknown attack or parameter is an error here, not at run()
        return plus(attack);
    }

    /**
     * One more attack, already built: it runs at its own eps (a minimum-norm attack is thresholded at {@link #eps}).
     *
     * @param attack the attack
     * @return a new evaluation
     */
    public Evaluation attack(Attack attack) { return plus(Objects.requireNonNull(attack, "attack")); }

    /**
     * The radii for attacks whose builder gives no eps, and at which minimum-norm attacks
     * (DeepFool, C&amp;W) are thresholded; without it, those are thresholded at the radii of the
     * other attacks of their norm.
     *
     * @param radii finite values &gt;= 0
     * @return a new evaluation
     */
    public Evaluation eps(double... radii) {
        float[] e = new float[radii.length];
        for (int i = 0; i < e.length; i++) e[i] = (float) radii[i];
        return new Evaluation(model, data, attacks, e, seed, seeded, audit, batchSize, progress);
    }

    /**
     * The seed of every attack given as a builder or spec that takes a seed and sets none (default 0).
     *
     * @param seed any value; the same seed gives the same result
     * @return a new evaluation
     */
    public Evaluation seed(long seed) { return new Evaluation(model, data, attacks, eps, seed, true, audit, batchSize, progress); }

    /**
     * Examples per forward/backward batch (default 256); results do not depend on it.
     *
     * @param batchSize at least 1
     * @return a new evaluation
     */
    public Evaluation batchSize(int batchSize) {
        if (batchSize < 1) throw new FeintException("evaluation: batchSize = " + batchSize + ", expected at least 1");
        return new Evaluation(model, data, attacks, eps, seed, seeded, audit, batchSize, progress);
    }

    /**
     * Also audits the figure at the first attack's norm and eps (the checks of {@code feint audit}:
     * can the robust accuracy be trusted?); the verdict heads the report. Costs several attacks more.
     *
     * @return a new evaluation
     */
    public Evaluation audit() { return audit(AuditBudget.DEFAULT); }

    /**
     * Also audits the figure, with this budget ({@code AuditBudget.DEFAULT.withSteps(5, 20)} for a quick look).
     *
     * @param budget the audit's attack budget
     * @return a new evaluation
     */
    public Evaluation audit(AuditBudget budget) {
        return new Evaluation(model, data, attacks, eps, seed, seeded, Objects.requireNonNull(budget, "budget"), batchSize, progress);
    }

    /**
     * Progress per attack run: name, examples done, total.
     *
     * @param listener called from the evaluating thread
     * @return a new evaluation
     */
    public Evaluation progress(AttackRunner.Listener listener) {
        return new Evaluation(model, data, attacks, eps, seed, seeded, audit, batchSize, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs the evaluation.
     *
     * @return clean and robust accuracy, the worst case, the outcomes, the audit when asked
     * @throws FeintException when no data or no attack was given, or the data does not fit the model
     */
    public RobustnessResult run() {
        if (data == null) throw new FeintException("evaluation: no data (call on(dataset))");
        if (attacks.isEmpty()) throw new FeintException("evaluation: no attack (call attack(...), e.g. attack(Attacks.pgd().eps(0.1)))");
        data.checkFits(model.name(), model.model().inputShape(), model.model().numClasses());
        List<Attack> built = new ArrayList<>();
        for (Object a : attacks) built.add(a instanceof Attack at ? at : AttackRegistry.create(seeded((AttackSpec) a)));
        RobustnessEvaluation.Builder b = RobustnessEvaluation.builder().model(model.model()).data(data).batchSize(batchSize).progress(progress);
        List<AttackOutcome> outcomes = new ArrayList<>();
        b.outcomes(outcomes::add);
        if (eps != null) b.eps(eps);
        for (int i = 0; i < built.size(); i++) {
            Attack a = built.get(i);
            if (a.minimumNorm()) b.attack(a, eps != null ? eps : radiiOf(a.norm(), built));
            else if (a instanceof dev.feint.attack.blackbox.PixelAttack || (eps != null && attacks.get(i) instanceof AttackSpec s && s.eps() == null
                    && AttackRegistry.entry(s.name()).eps() == AttackEntry.Eps.REQUIRED)) b.attack(a);
            else b.attack(a, a.eps());
        }
        RobustnessResult r = new RobustnessResult(model, data, b.build().run(), outcomes, null, seed, batchSize);
        return audit == null ? r : r.audited(audit);
    }

    private Evaluation plus(Object attack) {
        List<Object> more = new ArrayList<>(attacks);
        more.add(attack);
        return new Evaluation(model, data, more, eps, seed, seeded, audit, batchSize, progress);
    }

    private AttackSpec seeded(AttackSpec s) {
        return seeded && !s.params().containsKey("seed") && AttackRegistry.entry(s.name()).takes("seed") ? s.with("seed", seed) : s;
    }

    /** The radii of the fixed-eps attacks of {@code norm}, for thresholding a minimum-norm attack. */
    private static float[] radiiOf(Norm norm, List<Attack> built) {
        java.util.TreeSet<Float> r = new java.util.TreeSet<>();
        String minimumNorm = null;
        for (Attack a : built)
            if (a.minimumNorm()) minimumNorm = minimumNorm == null ? a.name() : minimumNorm;
            else if (a.norm() == norm && !(a instanceof dev.feint.attack.blackbox.PixelAttack)) r.add(a.eps());
        if (r.isEmpty())
            throw new FeintException("evaluation: " + minimumNorm + " is a minimum-norm attack and no other " + norm.id()
                    + " attack gives a radius to threshold it at (call eps(...))");
        float[] out = new float[r.size()];
        int i = 0;
        for (float e : r) out[i++] = e;
        return out;
    }

}
