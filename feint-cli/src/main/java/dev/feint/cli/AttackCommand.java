package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.blackbox.BlackBoxAttack;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.AttackSummary;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code feint attack}: runs one attack over the first N examples of a split and writes the
 * adversarial batch (NPY), per-example results (JSON, schema in docs/FORMATS.md) and figures
 * (PNG). Everything is computed before anything is written, so a failure writes nothing.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Attack a model on a dataset: adversarial examples, success, confidence and perturbation sizes.")
final class AttackCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin ModelOption model;

    @Mixin OnnxOptions onnx;

    @Mixin DataOptions data;

    @Mixin SplitOptions subset;

    @Option(names = "--attack", required = true, completionCandidates = AttackNames.class,
            description = "The attack: ${COMPLETION-CANDIDATES}.")
    String attack;

    @Option(names = "--norm", description = "linf, l2 or l1 where the attack supports it (square, hsja: linf or l2; "
            + "default: the attack's own).")
    String norm;

    @Option(names = "--eps", description = "Radius for fixed-eps attacks (default 0.1 linf, 1.0 l2, 10 l1; square needs it; "
            + "hsja, boundary: makes them fixed-eps; simba: the step length; > 0 for black-box attacks).")
    Float eps;

    @Option(names = "--steps", description = "Iterations (bim, pgd, mifgsm, deepfool, hsja, boundary; Adam steps per constant for cw).")
    Integer steps;

    @Option(names = "--step-size", description = "Step size (bim, pgd, mifgsm).")
    Float stepSize;

    @Option(names = "--restarts", description = "Random restarts (pgd, square).")
    Integer restarts;

    @Option(names = "--queries", description = "Black-box attacks: query budget per example, the clean check included "
            + "(default: onepixel 40,401, pixel-search unlimited, others 10,000).")
    Integer queries;

    @Option(names = "--pixels", description = "onepixel: pixels it may change, d (default 1).")
    Integer pixels;

    @Option(names = "--population", description = "onepixel: differential-evolution population (default 400; --queries "
            + "must be at least 1 + population).")
    Integer population;

    @Option(names = "--p-init", description = "square: initial fraction of the image a square covers (default 0.05 linf, 0.1 l2).")
    Float pInit;

    @Option(names = "--basis", description = "simba: pixel or dct (default pixel).")
    String basis;

    @Option(names = "--targeted", description = "Aim at a target class instead of any wrong one.")
    boolean targeted;

    @Option(names = "--target", description = "K, random or least-likely (default random; needs --targeted).")
    String target;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts and random targets (default: 0).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out-npy", description = "Adversarial inputs as float32 [N, C, H, W] (with --spark: a folder of NPY shards "
            + "and their index.json).")
    Path outNpy;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run the attack as an Apache Spark job: local[N] or spark://host:port "
            + "(needs --out-npy DIR; the data path and DIR must be readable and writable by every executor).")
    String spark;

    @Option(names = "--partitions", description = "Spark partitions (shards) of the examples, by index, each of whole --batch batches "
            + "(with --spark; default: Spark's parallelism).")
    Integer partitions;

    @Option(names = "--resume", paramLabel = "DIR", description = "With --spark: continue the job whose shards are in DIR, "
            + "re-running only the partitions whose shard is missing or incomplete.")
    Path resume;

    @Option(names = "--out-json", description = "Parameters, summary and per-example results (with --spark too).")
    Path outJson;

    @Option(names = "--out-images", description = "Directory for original | perturbation | adversarial PNGs (not with --spark).")
    Path outImages;

    @Option(names = "--images", defaultValue = "16", description = "How many examples --out-images shows (default: ${DEFAULT-VALUE}).")
    int images;

    @Override public Integer call() {
        subset.check();
        if (target != null && !targeted) throw new FeintException("--target needs --targeted");
        if (batch < 1) throw new FeintException("--batch must be >= 1, got " + batch);
        if (images < 0) throw new FeintException("--images must be >= 0, got " + images);
        if (spark != null || partitions != null || resume != null) return SparkShards.run(this);
        checkFileTarget("--out-npy", outNpy);
        checkFileTarget("--out-json", outJson);
        dev.feint.io.internal.Outputs.check(outNpy, outJson, outImages == null ? null : outImages.resolve("x.png"));
        if (outImages != null && Files.exists(outImages) && !Files.isDirectory(outImages))
            throw new FeintException("--out-images " + outImages + ": exists and is not a directory");
        if (queries != null && queries < 1) throw new FeintException("--queries must be >= 1, got " + queries);
        if (pixels != null && pixels < 1) throw new FeintException("--pixels must be >= 1, got " + pixels);
        if (population != null && population < 1) throw new FeintException("--population must be >= 1, got " + population);
        Attack a = AttackFlags.create(attackSpec(), "");

        try (LoadedModel loaded = LoadedModel.load(model.path, onnx)) {
            return attack(loaded, a);
        }
    }

    private int attack(LoadedModel loaded, Attack a) {
        Model m = loaded.model();
        LoadedModel.checkAttacks(m, java.util.List.of(a), "--attack");
        Dataset d = dataset(m);

        Progress bar = new Progress(a.name(), d.size());
        AttackOutcome o = runner(m).progress((name, done, total) -> bar.update(done, null)).run(a, d);
        bar.done();
        print(o, d, loaded.backend());

        // Render everything first; only then write, so an error leaves no partial output behind.
        String json = outJson == null ? null : Json.writePretty(document(o, d, loaded.backend())) + "\n";
        Map<String, byte[]> pngs = outImages == null ? Map.of() : AttackFigures.render(o, d, m, loaded.classNames(), images);
        try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
            if (outNpy != null) out.file(outNpy, s -> Npy.write(s, o.adversarial()));
            if (json != null) out.file(outJson, s -> s.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            for (var e : pngs.entrySet()) out.file(outImages.resolve(e.getKey()), s -> s.write(e.getValue()));
            out.commit();
        }
        return 0;
    }

    /** The examples of --data/--split (preprocessed for m), cut to --limit; --target K checked against m's classes. */
    Dataset dataset(Model m) {
        Dataset d = subset.cut(data.load(subset.split, m.inputShape(), m.numClasses(), model.path.toString()));
        if (targeted && target != null && target.trim().matches("-?\\d+")) {
            int k = Integer.parseInt(target.trim());
            if (k < 0 || k >= m.numClasses())
                throw new FeintException("--target " + k + " is outside the model's classes 0.." + (m.numClasses() - 1));
        }
        return d;
    }

    /** The runner of the attack: --batch and the targets of --targeted/--target. */
    AttackRunner runner(Model m) {
        TargetChooser chooser = targeted ? TargetChooser.parse(target == null ? "random" : target, seed) : null;
        return new AttackRunner(m).batchSize(batch).targets(chooser);
    }

    /** The attack's specification by name, from the registry a library user calls; a flag the attack does not take is an error. */
    AttackSpec attackSpec() {
        AttackEntry e = AttackRegistry.entry(attack.trim().toLowerCase(Locale.ROOT));
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("norm", norm);
        given.put("eps", eps);
        given.put("steps", steps);
        given.put("stepSize", stepSize);
        given.put("restarts", restarts);
        given.put("queries", queries);
        given.put("pixels", pixels);
        given.put("population", population);
        given.put("pInit", pInit);
        given.put("basis", basis);
        AttackSpec spec = AttackFlags.spec(e, given, false);
        if (e.takes("seed")) spec = spec.with("seed", seed); // --seed always has a value: it goes to the attacks that draw
        return spec;
    }

    Map<String, Object> document(AttackOutcome o, Dataset d, String backend) {
        LinkedHashMap<String, Object> input = new LinkedHashMap<>();
        input.put("model", model.path.toString());
        input.put("backend", backend);
        input.put("data", d.name());
        input.put("split", subset.split);
        input.put("examples", (long) d.size());
        input.put("dataset", d.describe());
        LinkedHashMap<String, Object> doc = new LinkedHashMap<>(o.toJson());
        doc.put("input", input);
        return doc;
    }

    void print(AttackOutcome o, Dataset d, String backend) {
        AttackSummary s = o.summary();
        Attack a = o.attack();
        String radius = a instanceof PixelAttack p ? "at most " + p.pixels() + " pixel" + (p.pixels() == 1 ? "" : "s")
                : a.minimumNorm() ? a.norm().id() + ", minimum-norm" : a.norm().id() + ", eps " + a.eps();
        System.out.printf(Locale.ROOT, "%s (%s%s) on %s/%s, %,d images: clean accuracy %.2f%%, robust accuracy %.2f%%, "
                        + "attack success %.2f%% of correctly classified%s%s%n", a.name(), radius, o.targeted() ? ", targeted" : "",
                d.name(), subset.split, d.size(), 100 * s.cleanAccuracy(), 100 * s.robustAccuracy(), 100 * s.successRate(),
                o.targeted() ? String.format(Locale.ROOT, ", targeted success %.2f%%", 100 * s.targetedSuccessRate()) : "",
                backend.equals("feint") ? "" : "; queries answered by " + backend);
        System.out.printf(Locale.ROOT, "  mean confidence of wrong adversarial predictions %s; perturbation median linf %s, "
                        + "l2 %s, l0 %s; %,d gradient evaluations, %,d queries, %.2f s%n", pct(s.meanConfidence()),
                num(s.linf().median()), num(s.l2().median()), num(s.l0().median()), s.gradientEvaluations(), s.queries(),
                s.wallSeconds());
        if (a instanceof BlackBoxAttack || a instanceof PixelAttack)
            System.out.printf(Locale.ROOT, "  queries to success (over %,d successful examples): mean %s, median %s, max %s%s%n",
                    s.queriesToSuccess().count(), num(s.queriesToSuccess().mean()), num(s.queriesToSuccess().median()),
                    num(s.queriesToSuccess().max()), s.pixelL0() == null ? "" : String.format(Locale.ROOT,
                            "; changed pixels median %s, max %s", num(s.pixelL0().median()), num(s.pixelL0().max())));
    }

    private static String pct(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v); }

    private static String num(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v); }

    static void checkFileTarget(String flag, Path p) {
        if (p != null && Files.isDirectory(p)) throw new FeintException(flag + " " + p + ": is a directory (expected a file path)");
    }
}
