package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.blackbox.BlackBoxAttacks;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.attack.gradient.GradientAttacks;
import dev.feint.data.Dataset;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.eval.RobustnessReport;
import dev.feint.io.Json;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The robustness half of {@code feint eval}, as a picocli mixin: {@code --attacks fgsm,pgd
 * --eps 0.05,0.1,0.2} plus the shared attack settings. EvalCommand adds
 * {@code @Mixin EvalAttacksSupport robustness;} and, when {@link #enabled()}, calls
 * {@link #run} and {@link #write}. Shared settings apply only to the attacks that take them
 * (--steps to the iterative ones, --restarts to pgd and square, --pixels to onepixel, ...), so
 * one flag can serve a mixed list; a setting no listed attack takes is an error. Black-box
 * attacks run without an eps of their own where they can (simba, hsja, boundary are then
 * minimum-norm and thresholded at each eps; square runs per eps); the pixel attacks have no
 * eps at all and are reported once, per pixel budget.
 */
public final class EvalAttacksSupport {
    private static final Set<String> ITERATIVE = Set.of("bim", "pgd", "mifgsm", "deepfool", "cw", "hsja", "boundary");
    private static final Set<String> RESTARTS = Set.of("pgd", "square");
    private static final Set<String> QUERIES = Set.copyOf(BlackBoxAttacks.NAMES);
    private static final Set<String> NORMED_BLACK_BOX = Set.of("square", "hsja");

    @Option(names = "--attacks", split = ",", description = "Attacks to evaluate, e.g. fgsm,pgd,deepfool. White-box: fgsm, "
            + "fgm, bim, pgd, mifgsm, deepfool, cw, invfgsm; black-box: onepixel, square, simba, hsja, boundary, pixel-search.")
    List<String> attacks;

    @Option(names = "--eps", split = ",", description = "Radii, e.g. 0.05,0.1,0.2 (minimum-norm attacks are thresholded at each; "
            + "not needed when every attack is a pixel attack).")
    List<Float> eps;

    @Option(names = "--norm", description = "linf, l2 or l1 for the attacks that support it (default: each attack's own; "
            + "square needs linf or l2).")
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

    @Option(names = "--target", description = "Targeted evaluation: K, random or least-likely (default: untargeted).")
    String target;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts and targets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Examples per attack batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The black-box settings shared by a mixed attack list (null: the attack's default). */
    public record BlackBoxOptions(Integer queries, Integer pixels, Integer population, Float pInit, String basis) {
        public static BlackBoxOptions none() { return new BlackBoxOptions(null, null, null, null, null); }
    }

    /** True when --attacks was given. */
    public boolean enabled() {
        if ((attacks == null || attacks.isEmpty()) && eps != null) throw new FeintException("--eps needs --attacks");
        return attacks != null && !attacks.isEmpty();
    }

    /** Runs every attack at every eps on {@code d} (checked to fit the network). */
    public RobustnessReport run(Network net, Dataset d) { return run(net, d, null); }

    /** As {@link #run(Network, Dataset)}, handing every attack run (for the HTML report) to sink. */
    public RobustnessReport run(Network net, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink) {
        if (queries != null && queries < 1) throw new FeintException("--queries must be >= 1, got " + queries);
        if (pixels != null && pixels < 1) throw new FeintException("--pixels must be >= 1, got " + pixels);
        if (population != null && population < 1) throw new FeintException("--population must be >= 1, got " + population);
        List<Attack> list = attacks(attacks, norm == null ? null : Norm.parse(norm), steps, restarts, seed,
                eps == null || eps.isEmpty() ? 0.1f : eps.get(0), new BlackBoxOptions(queries, pixels, population, pInit, basis));
        boolean needsEps = false;
        for (Attack a : list) needsEps |= !(a instanceof PixelAttack);
        if (needsEps && (eps == null || eps.isEmpty())) throw new FeintException("--attacks needs --eps (e.g. --eps 0.05,0.1,0.2)");
        if (!needsEps && eps != null && !eps.isEmpty())
            throw new FeintException("--eps does not apply to the pixel attacks (onepixel, pixel-search): their budget is --pixels; "
                    + "drop --eps or add an eps-bounded attack");
        float[] radii = new float[eps == null ? 0 : eps.size()];
        for (int i = 0; i < radii.length; i++) radii[i] = eps.get(i);
        // Black-box fixed-eps attacks need eps > 0: check every radius now, not after the attacks before them have run.
        for (Attack a : list)
            if (BlackBoxAttacks.has(a.name()) && !a.minimumNorm()) for (float e : radii) a.withEps(e);
        NetworkModel m = NetworkModel.of(net);
        AttackCommand.checkFits(m, d);
        Progress bar = new Progress("robustness", (long) d.size() * countRuns(list, radii.length));
        long[] done = new long[1];
        int[] last = new int[1];
        RobustnessReport r = RobustnessEvaluation.builder().model(m).data(d).attacks(list).eps(radii).batchSize(batch)
                .targets(target == null ? null : TargetChooser.parse(target, seed))
                .progress((name, n, total) -> {
                    done[0] += n < last[0] ? n : n - last[0];
                    last[0] = n == total ? 0 : n;
                    bar.update(done[0], name);
                }).outcomes(sink == null ? o -> { } : sink).build().run();
        bar.done();
        return r;
    }

    /** Builds the gradient attacks by name; eps is a placeholder radius (the evaluation sets each eps). */
    public static List<Attack> attacks(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps) {
        return attacks(names, norm, steps, restarts, seed, eps, BlackBoxOptions.none());
    }

    /**
     * Builds white- and black-box attacks by name; eps is a placeholder radius for the fixed-eps
     * ones (the evaluation sets each eps). A shared setting that no attack in the list takes is an error.
     */
    public static List<Attack> attacks(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps,
                                       BlackBoxOptions bb) {
        List<Attack> out = new ArrayList<>();
        List<String> clean = new ArrayList<>();
        for (String raw : names) clean.add(raw.trim().toLowerCase(Locale.ROOT));
        unused("--steps", steps, clean, ITERATIVE);
        unused("--restarts", restarts, clean, RESTARTS);
        unused("--queries", bb.queries(), clean, QUERIES);
        unused("--pixels", bb.pixels(), clean, Set.of("onepixel"));
        unused("--population", bb.population(), clean, Set.of("onepixel"));
        unused("--p-init", bb.pInit(), clean, Set.of("square"));
        unused("--basis", bb.basis(), clean, Set.of("simba"));
        for (String n : clean) {
            if (BlackBoxAttacks.has(n)) {
                out.add(blackBox(n, norm, steps, restarts, seed, eps, bb));
                continue;
            }
            if (!GradientAttacks.NAMES.contains(n))
                throw new FeintException("--attacks: unknown attack '" + n + "' (expected one of " + String.join(", ", GradientAttacks.NAMES)
                        + ", " + String.join(", ", BlackBoxAttacks.NAMES) + ")");
            boolean minNorm = n.equals("deepfool") || n.equals("cw");
            out.add(GradientAttacks.create(n, new GradientAttacks.Options(norm, minNorm ? null : eps,
                    ITERATIVE.contains(n) ? steps : null, null, n.equals("pgd") ? restarts : null, seed)));
        }
        return out;
    }

    /** Square at the placeholder eps; simba, hsja and boundary minimum-norm (thresholded at each eps); pixel attacks as given. */
    private static Attack blackBox(String n, Norm norm, Integer steps, Integer restarts, long seed, float eps, BlackBoxOptions bb) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seed", seed);
        o.put("queries", bb.queries());
        if (NORMED_BLACK_BOX.contains(n) && norm != null) o.put("norm", norm.id());
        switch (n) {
            case "square" -> {
                if (norm == null) o.put("norm", Norm.LINF.id()); // Linf, as everywhere else
                o.put("eps", eps);
                o.put("restarts", restarts);
                o.put("p-init", bb.pInit());
            }
            case "simba" -> o.put("basis", bb.basis());
            case "hsja", "boundary" -> o.put("steps", steps);
            case "onepixel" -> {
                o.put("pixels", bb.pixels());
                o.put("population", bb.population());
            }
            default -> { }
        }
        return BlackBoxAttacks.create(n, o);
    }

    private static void unused(String flag, Object value, List<String> names, Set<String> takers) {
        if (value == null) return;
        for (String n : names) if (takers.contains(n)) return;
        throw new FeintException(flag + " applies only to " + String.join(", ", takers.stream().sorted().toList())
                + ", and --attacks has none of them");
    }

    private static int countRuns(List<Attack> list, int nEps) {
        int runs = 0;
        for (Attack a : list) runs += a.minimumNorm() ? 1 : nEps;
        return runs;
    }
}
