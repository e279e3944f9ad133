package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.data.Dataset;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.eval.RobustnessReport;
import dev.feint.io.Json;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The robustness half of {@code feint eval}, as a picocli mixin: {@code --attacks fgsm,pgd
 * --eps 0.05,0.1,0.2} plus the shared attack settings. EvalCommand adds
 * {@code @Mixin EvalAttacksSupport robustness;} and, when {@link #enabled()}, calls
 * {@link #run} and writes the results. Shared settings apply only to the attacks that take them
 * (--steps to the iterative ones, --restarts to pgd and square, --pixels to onepixel, ...), so
 * one flag can serve a mixed list; a setting no listed attack takes is an error. Black-box
 * attacks run without an eps of their own where they can (simba, hsja, boundary are then
 * minimum-norm and thresholded at each eps; square runs per eps); the pixel attacks have no
 * eps at all and are reported once, per pixel budget.
 */
public final class EvalAttacksSupport {
    /** An empty mixin: picocli sets its fields from the flags. */
    public EvalAttacksSupport() {}

    @Option(names = "--attacks", split = ",(?![A-Za-z]\\w*=)", completionCandidates = AttackNames.class,
            description = "Attacks to evaluate, e.g. fgsm,pgd,deepfool, from: ${COMPLETION-CANDIDATES}; an attack's own parameters "
                    + "follow its name, e.g. tifgsm:kernelSize=5,kernelSigma=2 (see docs/FORMATS.md).")
    List<String> attacks;

    @Option(names = "--eps", split = ",", description = "Radii, e.g. 0.05,0.1,0.2 (minimum-norm attacks are thresholded at each; "
            + "not needed when every attack is a pixel attack).")
    List<Float> eps;

    @Option(names = "--norm", description = "linf, l2 or l1 for the attacks that support it (default: each attack's own, linf where it is taken; "
            + "square: linf or l2).")
    String norm;

    @Option(names = "--steps", description = "Iterations of the iterative attacks (default: each attack's own; pgd 40).")
    Integer steps;

    @Option(names = "--restarts", description = "Random restarts of pgd and square (default 1).")
    Integer restarts;

    @Option(names = "--queries", description = "Query budget per example of the black-box attacks, the clean check included "
            + "(default: onepixel 40,401, pixel-search unlimited, others 10,000).")
    Integer queries;

    @Option(names = "--pixels", description = "Pixels onepixel may change (default 1).")
    Integer pixels;

    @Option(names = "--population", description = "onepixel's differential-evolution population (default 400).")
    Integer population;

    @Option(names = "--p-init", description = "square's initial square fraction (default 0.05 linf, 0.1 l2).")
    Float pInit;

    @Option(names = "--basis", description = "simba's basis: pixel or dct (default pixel).")
    String basis;

    @Option(names = "--version", description = "AutoAttack's version: standard, plus or rand (default standard; with --attacks autoattack).")
    String version;

    @Option(names = "--target", description = "Targeted evaluation: K, random or least-likely (default: untargeted).")
    String target;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts and targets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Examples per attack batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The black-box settings (and AutoAttack's version) shared by a mixed attack list (null: the attack's default). */
    record BlackBoxOptions(Integer queries, Integer pixels, Integer population, Float pInit, String basis, String version) {
        static BlackBoxOptions none() { return new BlackBoxOptions(null, null, null, null, null, null); }
    }

    /** True when --attacks was given. */
    boolean enabled() {
        if ((attacks == null || attacks.isEmpty()) && eps != null) throw new FeintException("--eps needs --attacks");
        return attacks != null && !attacks.isEmpty();
    }

    /** Runs every attack at every eps on {@code d} (checked to fit the network). */
    RobustnessReport run(Network net, Dataset d) { return run(net, d, null); }

    /** As {@link #run(Network, Dataset)}, handing every attack run (for the HTML report) to sink. */
    RobustnessReport run(Network net, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink) {
        return run(NetworkModel.of(net), d, sink);
    }

    /** As {@link #run(Network, Dataset)} on any differentiable model (an ONNX file, a Feint network). */
    RobustnessReport run(DifferentiableModel m, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink) {
        return run(m, d, sink, null);
    }

    /**
     * As {@link #run(DifferentiableModel, Dataset, java.util.function.Consumer)} on any model, recording (and resuming from)
     * {@code journal} if not null; a model without gradients ({@code --backend ort}) takes black-box attacks only.
     */
    RobustnessReport run(dev.feint.model.Model m, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink,
                                dev.feint.eval.EvalJournal journal) {
        return run(m, d, sink, journal, null);
    }

    /**
     * Where the attack runs of an evaluation are done when not on this machine: given the whole
     * evaluation, its attacks as specifications and a progress callback (examples done over every
     * run), it returns one merged outcome per run of {@link RobustnessEvaluation#runs()}, over the
     * whole data, in order.
     */
    @FunctionalInterface
    public interface Cluster {
        /**
         * Runs the evaluation's attack runs elsewhere.
         *
         * @param whole the evaluation over the whole data, as it would run here
         * @param attacks its attacks as specifications, to build the same attacks in each task
         * @param examplesDone told the examples done, over every run, as parts finish
         * @return one merged outcome per run of {@link RobustnessEvaluation#runs()}, in order
         */
        List<dev.feint.eval.AttackOutcome> outcomes(RobustnessEvaluation whole, List<AttackSpec> attacks,
                                                    java.util.function.LongConsumer examplesDone);
    }

    /** As above; with a cluster (not null) the attacks run there and only the report is assembled here. */
    RobustnessReport run(Model m, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink,
                         dev.feint.eval.EvalJournal journal, Cluster cluster) {
        List<AttackSpec> specs = buildSpecs();
        List<Attack> list = checked(specs, m, d);
        Progress bar = new Progress("robustness", (long) d.size() * countRuns(list, eps == null ? 0 : eps.size()));
        long[] done = new long[1];
        int[] last = new int[1];
        RobustnessEvaluation ev = evaluation(m, d, list)
                .progress((name, n, total) -> {
                    done[0] += n < last[0] ? n : n - last[0];
                    last[0] = n == total ? 0 : n;
                    bar.update(done[0], name);
                }).outcomes(sink == null ? o -> { } : sink).journal(journal).build();
        RobustnessReport r;
        if (cluster == null) {
            r = ev.run();
        } else {
            List<dev.feint.eval.AttackOutcome> merged = cluster.outcomes(ev, specs, n -> bar.update(n, "cluster"));
            if (sink != null) merged.forEach(sink);
            r = ev.report(merged);
        }
        bar.done();
        return r;
    }

    /** The checks of the flags against the attacks and the data; the attacks built from their specs. */
    private List<Attack> checked(List<AttackSpec> specs, Model m, Dataset d) {
        if (queries != null && queries < 1) throw new FeintException("--queries must be >= 1, got " + queries);
        if (pixels != null && pixels < 1) throw new FeintException("--pixels must be >= 1, got " + pixels);
        if (population != null && population < 1) throw new FeintException("--population must be >= 1, got " + population);
        List<Attack> list = create(specs);
        LoadedModel.checkAttacks(m, list, "--attacks");
        boolean needsEps = false;
        for (Attack a : list) needsEps |= !(a instanceof PixelAttack);
        if (needsEps && (eps == null || eps.isEmpty())) throw new FeintException("--attacks needs --eps (e.g. --eps 0.05,0.1,0.2)");
        if (!needsEps && eps != null && !eps.isEmpty())
            throw new FeintException("--eps does not apply to the pixel attacks (onepixel, pixel-search): their budget is --pixels; "
                    + "drop --eps or add an eps-bounded attack");
        // Black-box fixed-eps attacks need eps > 0: check every radius now, not after the attacks before them have run.
        for (Attack a : list)
            if (AttackRegistry.entry(a.name()).blackBox() && !a.minimumNorm())
                for (float e : radii()) AttackFlags.mapped(() -> a.withEps(e), "--attacks ");
        d.checkFits("model", m.inputShape(), m.numClasses());
        return list;
    }

    /** The evaluation of these attacks on d with the flags' radii, batch and targets (no progress, sink or journal yet). */
    RobustnessEvaluation.Builder evaluation(Model m, Dataset d, List<Attack> list) {
        return RobustnessEvaluation.builder().model(m).data(d).attacks(list).eps(radii()).batchSize(batch)
                .targets(target == null ? null : TargetChooser.parse(target, seed));
    }

    private float[] radii() {
        float[] radii = new float[eps == null ? 0 : eps.size()];
        for (int i = 0; i < radii.length; i++) radii[i] = eps.get(i);
        return radii;
    }

    /** The --attacks with the shared flags, at the first --eps as a placeholder radius (the evaluation sets each eps). */
    List<Attack> buildAttacks() { return create(buildSpecs()); }

    /** The specifications of {@link #buildAttacks()}: what a distributed run sends to build the same attacks elsewhere. */
    List<AttackSpec> buildSpecs() {
        return specs(attacks, norm == null ? null : Norm.parse(norm), steps, restarts, seed,
                eps == null || eps.isEmpty() ? 0.1f : eps.get(0), new BlackBoxOptions(queries, pixels, population, pInit, basis, version));
    }

    /** Builds the attacks by name; eps is a placeholder radius (the evaluation sets each eps). */
    static List<Attack> attacks(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps) {
        return attacks(names, norm, steps, restarts, seed, eps, BlackBoxOptions.none());
    }

    /**
     * Builds white- and black-box attacks by name from the registry. A shared setting goes to the
     * attacks that take it; one that no attack in the list takes is an error. Fixed-eps attacks
     * get the placeholder radius eps (the evaluation sets each eps); attacks for which eps is
     * optional (simba, hsja, boundary) run without one (minimum-norm, thresholded at each eps).
     */
    static List<Attack> attacks(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps,
                                BlackBoxOptions bb) {
        return create(specs(names, norm, steps, restarts, seed, eps, bb));
    }

    private static List<Attack> create(List<AttackSpec> specs) {
        List<Attack> out = new ArrayList<>();
        for (AttackSpec spec : specs) out.add(AttackFlags.create(spec, "--attacks "));
        return out;
    }

    /** The specifications of {@link #attacks(List, Norm, Integer, Integer, long, float, BlackBoxOptions)}. */
    static List<AttackSpec> specs(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps,
                                  BlackBoxOptions bb) {
        List<AttackEntry> entries = new ArrayList<>();
        List<AttackSpec> own = new ArrayList<>();
        for (String raw : names) {
            AttackSpec s = AttackSpec.parse(raw.trim());
            String n = s.name().toLowerCase(Locale.ROOT);
            if (!AttackRegistry.has(n))
                throw new FeintException("--attacks: unknown attack '" + n + "' (expected one of " + String.join(", ", AttackRegistry.names()) + ")");
            AttackEntry e = AttackRegistry.entry(n);
            if (s.eps() != null || s.norm() != null)
                throw new FeintException("--attacks " + raw.trim() + ": the radii come from --eps and the norm from --norm, not from the attack's parameters");
            for (String k : s.params().keySet())
                if (!e.takes(k))
                    throw new FeintException("--attacks " + raw.trim() + ": " + n + " does not take " + k + " (it takes " + e.paramNames() + ")");
            entries.add(e);
            own.add(s);
        }
        Map<String, Object> shared = new LinkedHashMap<>();
        shared.put("steps", steps);
        shared.put("restarts", restarts);
        shared.put("queries", bb.queries());
        shared.put("pixels", bb.pixels());
        shared.put("population", bb.population());
        shared.put("pInit", bb.pInit());
        shared.put("basis", bb.basis());
        shared.put("version", bb.version());
        for (var e : shared.entrySet()) unused(e.getKey(), e.getValue(), entries);
        shared.put("norm", norm == null ? null : norm.id());
        shared.put("seed", seed);
        List<AttackSpec> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            AttackEntry e = entries.get(i);
            AttackSpec spec = AttackFlags.spec(e, shared, true);
            for (var kv : own.get(i).params().entrySet()) spec = spec.with(kv.getKey(), kv.getValue());   // the attack's own win
            if (e.eps() == AttackEntry.Eps.REQUIRED) spec = spec.eps(eps);
            out.add(spec);
        }
        return out;
    }

    private static void unused(String param, Object value, List<AttackEntry> entries) {
        if (value == null) return;
        for (AttackEntry e : entries) if (e.takes(param)) return;
        List<String> takers = new ArrayList<>();
        for (AttackEntry e : AttackRegistry.entries()) if (e.takes(param)) takers.add(e.name());
        throw new FeintException(AttackFlags.flag(param) + " applies only to " + String.join(", ", takers.stream().sorted().toList())
                + ", and --attacks has none of them");
    }

    private static int countRuns(List<Attack> list, int nEps) {
        int runs = 0;
        for (Attack a : list) runs += a.minimumNorm() ? 1 : nEps;
        return runs;
    }
}
