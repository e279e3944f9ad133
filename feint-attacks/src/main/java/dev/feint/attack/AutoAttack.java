package dev.feint.attack;

import dev.feint.attack.internal.Checks;
import dev.feint.FeintException;
import dev.feint.model.Eot;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AutoAttack: a fixed ensemble of parameter-free attacks, each run only on the examples still
 * robust after the ones before it, so robust accuracy can only fall from stage to stage. The
 * stages are data ({@link #stages}: registry specs), the result says per example which stage
 * broke it and how long each stage took ({@link AttackResult#brokenBy}, {@link AttackResult#stageSeconds}).
 *
 * <p>Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020, arXiv:2003.01690. Versions: {@code standard} (APGD-CE,
 * APGD-T with 9 targets, FAB-T with 9 targets, Square with 5,000 queries and p_init 0.8 on the
 * margin loss; L1: APGD-CE and APGD-T), {@code plus} (APGD-CE and APGD-DLR with 5 restarts, FAB
 * with 5 restarts, Square, APGD-T, FAB-T), {@code rand} (APGD-CE and APGD-DLR through
 * {@link Eot} with 20 samples, for randomised models). FAB stages need a registered {@code fab}
 * attack and are left out otherwise ({@link #missing}). DLR stages need 3 classes and are
 * skipped with fewer. Norms: Linf, L2, L1. Untargeted only.
 *
 * <p>Parameters: {@code eps} (required); {@code norm} (default linf); {@code version} (default
 * standard); {@code steps} (default 100, per APGD/FAB run); {@code queries} (default 5000,
 * Square); {@code seed} (default 0, handed to every stage).
 *
 * <pre>{@code
 * Attack aa = AutoAttack.builder().eps(0.1f).version("standard").build();
 * AttackResult r = aa.run(model, x, new Misclassification(labels)); // r.brokenBy(): stage per example
 * }</pre>
 */
public final class AutoAttack extends AttackBase {
    /**
     * One stage of the ensemble.
     *
     * @param name its name in reports, e.g. apgd-ce
     * @param spec the spec of its attack (norm, eps and seed are added per run)
     */
    public record Stage(String name, AttackSpec spec) {}

    /** The versions AutoAttack runs: standard, plus (more restarts and stages), rand (EOT for randomised defences). */
    public static final List<String> VERSIONS = List.of("standard", "plus", "rand");
    static final int EOT_SAMPLES = 20;

    /** The registry entry: norm (linf), eps (0.1 linf), version (standard), steps (100), queries (5000), seed (0). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("autoattack", AttackEntry.Eps.REQUIRED,
            "the AutoAttack ensemble, each stage on the examples still robust",
            List.of(AttackParam.norm("linf", "linf, l2 or l1"), AttackParam.eps("0.1 linf, 1.0 l2, 10 l1", "the radius"),
                    AttackParam.text("version", "standard", "standard, plus or rand"),
                    AttackParam.whole("steps", "100", "iterations of each APGD/FAB run"),
                    AttackParam.whole("queries", "5000", "Square's queries per example"), AttackParam.seed()), a -> {
                Builder b = builder();
                a.normAndEps(Norm.LINF, b::norm, b::eps);
                a.text("version", b::version);
                a.whole("steps", b::steps);
                a.whole("queries", b::queries);
                a.seed(b::seed);
                return b.build();
            });

    private final String version;
    private final int steps, queries;
    private final long seed;

    private AutoAttack(Norm norm, float eps, String version, int steps, int queries, long seed) {
        super("autoattack", norm, eps);
        this.version = version;
        this.steps = steps;
        this.queries = queries;
        this.seed = seed;
    }

    /** {@return a builder with the defaults: linf, standard, 100 steps, 5000 queries, seed 0} */
    public static Builder builder() { return new Builder(); }

    /**
     * AutoAttack's standard version (APGD-CE, APGD-T, FAB-T, Square) as a registry builder:
     * {@code AutoAttack.standard(Norm.LINF, 0.1).steps(20).queries(500).build()}.
     *
     * @param norm {@link Norm#LINF}, {@link Norm#L2} or {@link Norm#L1}
     * @param eps the radius
     * @return the builder (checked when built)
     */
    public static AttackBuilder standard(Norm norm, double eps) {
        return Attacks.of("autoattack").norm(norm).eps(eps).with("version", "standard");
    }

    /** {@return the version: standard, plus or rand} */
    public String version() { return version; }

    /** {@return the stages this version runs for this norm, in order (FAB stages only when a fab attack is registered)} */
    public List<Stage> stages() {
        List<Stage> all = allStages(), out = new ArrayList<>();
        for (Stage s : all) if (AttackRegistry.has(s.spec().name())) out.add(s);
        return out;
    }

    /** {@return the stages of this version that are not registered in this build} */
    public List<String> missing() {
        List<String> m = new ArrayList<>();
        for (Stage s : allStages()) if (!AttackRegistry.has(s.spec().name())) m.add(s.name());
        return m;
    }

    private List<Stage> allStages() {
        String st = "steps=" + steps, sq = "square:queries=" + queries + ",pInit=0.8";
        List<String> specs = switch (version) {
            case "standard" -> norm == Norm.L1 ? List.of("apgd-ce=apgd:loss=ce," + st, "apgd-t=apgd-t:targets=9," + st)
                    : List.of("apgd-ce=apgd:loss=ce," + st, "apgd-t=apgd-t:targets=9," + st, "fab-t=fab-t:targets=9," + st, "square=" + sq);
            case "plus" -> {
                List<String> p = new ArrayList<>(List.of("apgd-ce=apgd:loss=ce,restarts=5," + st, "apgd-dlr=apgd:loss=dlr,restarts=5," + st,
                        "fab=fab:targets=0,restarts=5," + st));
                if (norm != Norm.L1) p.add("square=" + sq);
                p.addAll(List.of("apgd-t=apgd-t:targets=9," + st, "fab-t=fab-t:targets=9," + st));
                yield p;
            }
            default -> List.of("apgd-ce=apgd:loss=ce," + st, "apgd-dlr=apgd:loss=dlr," + st);
        };
        List<Stage> out = new ArrayList<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            out.add(new Stage(s.substring(0, eq), AttackSpec.parse(s.substring(eq + 1))));
        }
        return out;
    }

    @Override public Attack withEps(float e) {
        return new Builder().norm(norm).eps(e).version(version).steps(steps).queries(queries).seed(seed).build();
    }

    @Override protected void describe(Map<String, Object> p) {
        p.put("version", version);
        p.put("steps", (long) steps);
        p.put("queries", (long) queries);
        p.put("seed", seed);
        p.put("stages", String.join(",", stages().stream().map(Stage::name).toList()));
    }

    @Override protected Tensor perturb(AttackContext ctx, Tensor x, Criterion crit) {
        if (crit.targeted()) throw new FeintException("autoattack is untargeted: give it an untargeted criterion");
        int n = x.dim(0), d = ctx.d();
        Model model = version.equals("rand") ? Eot.of(ctx.model(), EOT_SAMPLES) : ctx.model();
        float[] x0 = x.data(), adv = x0.clone();
        int[] pred = dev.feint.autograd.Reductions.argmaxLast(ctx.logits(x, null));
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) done[i] = crit.isAdversarial(i, pred[i]);
        for (Stage s : stages()) {
            long t0 = System.nanoTime();
            int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> !done[i]).toArray();
            boolean dlr = "dlr".equals(String.valueOf(s.spec().params().get("loss")));
            boolean blackBoxAtZero = eps == 0 && AttackRegistry.entry(s.spec().name()).blackBox(); // square needs eps > 0
            if (rows.length > 0 && !(dlr && ctx.numClasses() < 3) && !blackBoxAtZero) {
                AttackSpec spec = s.spec().norm(norm).eps(eps);
                if (AttackRegistry.entry(spec.name()).takes("seed")) spec = spec.with("seed", seed);
                float[] xs = new float[rows.length * d];
                for (int j = 0; j < rows.length; j++) System.arraycopy(x0, rows[j] * d, xs, j * d, d);
                AttackResult r = AttackRegistry.create(spec).run(model, Tensor.of(xs, rows.length, x.dim(1), x.dim(2), x.dim(3)),
                        crit.subset(rows));
                ctx.charge(rows, r.queries(), r.gradients());
                float[] ra = r.adversarial().data();
                for (int j = 0; j < rows.length; j++)
                    if (r.success()[j]) {
                        done[rows[j]] = true;
                        System.arraycopy(ra, j * d, adv, rows[j] * d, d);
                        ctx.brokenBy(rows[j], s.name());
                    }
            }
            ctx.stageTime(s.name(), (System.nanoTime() - t0) / 1e9);
        }
        return new Tensor(x.shape(), adv);
    }

    /** Builds an {@link AutoAttack}; eps is required, the rest have the defaults of the class comment. */
    public static final class Builder {
        /** A builder with the defaults; {@link AutoAttack#builder()} is the usual way to get one. */
        public Builder() {}

        private Float eps;
        private Norm norm = Norm.LINF;
        private String version = "standard";
        private int steps = 100, queries = 5000;
        private long seed;

        /**
         * Sets the radius.
         *
         * @param v the radius, in the units of the norm (required)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }

        /**
         * Sets the norm.
         *
         * @param v linf, l2 or l1 (default linf)
         * @return this builder
         */
        public Builder norm(Norm v) { norm = v; return this; }

        /**
         * Sets the version.
         *
         * @param v standard, plus or rand (default standard)
         * @return this builder
         */
        public Builder version(String v) { version = v == null ? null : v.trim().toLowerCase(Locale.ROOT); return this; }

        /**
         * Sets the iterations per run.
         *
         * @param v iterations of each APGD and FAB run, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }

        /**
         * Sets Square's budget.
         *
         * @param v Square's query budget per example, &gt;= 2 (default 5000)
         * @return this builder
         */
        public Builder queries(int v) { queries = v; return this; }

        /**
         * Sets the seed.
         *
         * @param v the seed handed to every stage (default 0)
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the AutoAttack ensemble
         * @throws ParameterException naming the parameter when a value is missing or out of range
         */
        public AutoAttack build() {
            if (!VERSIONS.contains(version)) throw ParameterException.invalid("autoattack", "version", version, "standard, plus or rand");
            return new AutoAttack(Checks.norm("autoattack", norm, Norm.LINF, Norm.L2, Norm.L1),
                    Checks.eps("autoattack", Checks.required("autoattack", "eps", eps)), version, Checks.steps("autoattack", steps),
                    Checks.atLeast("autoattack", "queries", queries, 2), seed);
        }
    }
}
