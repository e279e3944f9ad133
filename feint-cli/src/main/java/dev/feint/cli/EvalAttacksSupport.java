package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.gradient.GradientAttacks;
import dev.feint.data.Dataset;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.eval.RobustnessReport;
import dev.feint.io.AtomicFiles;
import dev.feint.io.Json;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The robustness half of {@code feint eval}, as a picocli mixin: {@code --attacks fgsm,pgd
 * --eps 0.05,0.1,0.2} plus the shared attack settings. EvalCommand adds
 * {@code @Mixin EvalAttacksSupport robustness;} and, when {@link #enabled()}, calls
 * {@link #run} and {@link #write}. Shared settings apply only to the attacks that take them
 * (--steps to the iterative ones, --restarts to pgd), so one flag can serve a mixed list.
 */
public final class EvalAttacksSupport {
    private static final Set<String> ITERATIVE = Set.of("bim", "pgd", "mifgsm", "deepfool", "cw");

    @Option(names = "--attacks", split = ",", description = "Attacks to evaluate, e.g. fgsm,pgd,deepfool (one of "
            + "fgsm, fgm, bim, pgd, mifgsm, deepfool, cw, invfgsm).")
    List<String> attacks;

    @Option(names = "--eps", split = ",", description = "Radii, e.g. 0.05,0.1,0.2 (minimum-norm attacks are thresholded at each).")
    List<Float> eps;

    @Option(names = "--norm", description = "linf, l2 or l1 for the attacks that support it (default: each attack's own).")
    String norm;

    @Option(names = "--steps", description = "Iterations of the iterative attacks (default: each attack's own; pgd 40).")
    Integer steps;

    @Option(names = "--restarts", description = "Random restarts of pgd (default 1).")
    Integer restarts;

    @Option(names = "--target", description = "Targeted evaluation: K, random or least-likely (default: untargeted).")
    String target;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts and targets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Examples per attack batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** True when --attacks was given. */
    public boolean enabled() {
        if ((attacks == null || attacks.isEmpty()) && eps != null) throw new FeintException("--eps needs --attacks");
        return attacks != null && !attacks.isEmpty();
    }

    /** Runs every attack at every eps on {@code d} (checked to fit the network). */
    public RobustnessReport run(Network net, Dataset d) { return run(net, d, null); }

    /** As {@link #run(Network, Dataset)}, handing every attack run (for the HTML report) to sink. */
    public RobustnessReport run(Network net, Dataset d, java.util.function.Consumer<dev.feint.eval.AttackOutcome> sink) {
        if (eps == null || eps.isEmpty()) throw new FeintException("--attacks needs --eps (e.g. --eps 0.05,0.1,0.2)");
        float[] radii = new float[eps.size()];
        for (int i = 0; i < radii.length; i++) radii[i] = eps.get(i);
        NetworkModel m = NetworkModel.of(net);
        AttackCommand.checkFits(m, d);
        List<Attack> list = attacks(attacks, norm == null ? null : Norm.parse(norm), steps, restarts, seed, radii[0]);
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

    /** Builds the attacks by name; eps is a placeholder radius (the evaluation sets each eps). */
    public static List<Attack> attacks(List<String> names, Norm norm, Integer steps, Integer restarts, long seed, float eps) {
        List<Attack> out = new ArrayList<>();
        for (String raw : names) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            boolean minNorm = n.equals("deepfool") || n.equals("cw");
            out.add(GradientAttacks.create(n, new GradientAttacks.Options(norm, minNorm ? null : eps,
                    ITERATIVE.contains(n) ? steps : null, null, n.equals("pgd") ? restarts : null, seed)));
        }
        return out;
    }

    /** Renders both reports before writing either, so a rendering error writes nothing. */
    public static void write(RobustnessReport r, Path json, Path markdown) {
        String j = json == null ? null : Json.writePretty(r.toJson()) + "\n", md = markdown == null ? null : r.toMarkdown();
        if (j != null) AtomicFiles.writeString(json, j);
        if (md != null) AtomicFiles.writeString(markdown, md);
    }

    private static int countRuns(List<Attack> list, int nEps) {
        int runs = 0;
        for (Attack a : list) runs += a.minimumNorm() ? 1 : nEps;
        return runs;
    }
}
