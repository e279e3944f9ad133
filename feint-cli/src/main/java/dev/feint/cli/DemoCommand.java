package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.eval.RobustnessReport;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.report.internal.HtmlReport;
import dev.feint.report.internal.ReportInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code feint demo}: the main job. Two bundled LeNets (one trained naturally, one with PGD
 * adversarial training) are attacked with FGSM, PGD, Square and the one-pixel attack on a
 * bundled slice of Fashion-MNIST, and with AutoAttack (standard) beside PGD at the middle eps on
 * the first {@code --aa-limit} images; prints a compact table and writes the HTML report.
 * {@code --model FILE} (repeatable: safetensors, ONNX or TorchScript, with the ONNX preprocessing
 * flags) runs the same job on the user's own models instead of the bundled ones.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Attack a standard and an adversarially trained model on bundled data and write the robustness report.")
final class DemoCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--model", paramLabel = "FILE", description = "Run the demo on this model instead of the two bundled LeNets "
            + "(repeatable; a Feint weights file, an ONNX or a TorchScript file taking 1x28x28 Fashion-MNIST images, with the preprocessing flags below).")
    List<Path> models;

    @Mixin OnnxOptions onnx;

    @Option(names = "--full", description = "Use the whole Fashion-MNIST test set (needs the dataset installed).")
    boolean full;

    @Option(names = "--limit", description = "Examples for FGSM, PGD and Square (default: 300, or all with --full; 0: all).")
    Integer limit;

    @Option(names = "--offset", defaultValue = "0", description = "Skip the first N test images (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--pixel-limit", defaultValue = "100", description = "Examples for the one-pixel attack (default: ${DEFAULT-VALUE}).")
    int pixelLimit;

    @Option(names = "--aa-limit", defaultValue = "100", description = "Examples for AutoAttack standard at the middle eps, beside "
            + "PGD-20 on the same images (default: ${DEFAULT-VALUE}; 0: none).")
    int aaLimit;

    @Option(names = "--eps", split = ",", defaultValue = "0.05,0.1,0.2", description = "Linf radii (default: ${DEFAULT-VALUE}).")
    List<Float> eps;

    @Option(names = "--report", defaultValue = "feint-report", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    static final String[][] MODELS = {{"standard", "fmnist-lenet.safetensors"}, {"adversarially trained (PGD, eps 0.1)", "fmnist-lenet-pgd.safetensors"}};

    @Override public Integer call() {
        long t0 = System.nanoTime();
        dev.feint.io.internal.Outputs.check(report);
        Path home = Path.of(System.getProperty("feint.home", "."));
        Dataset data = full ? Datasets.load("fashion-mnist", "test") : Datasets.load(home.resolve("demo/fashion-mnist-1k").toString(), "test");
        if (offset < 0 || offset >= data.size())
            throw new FeintException("--offset must be in [0, " + data.size() + ") for the " + data.size() + " demo images, got " + offset);
        data = data.slice(offset, data.size());          // a view: the skipped images are never read
        int n = limit != null ? TrainCommand.checkLimit("--limit", limit, data.size()) : (full ? data.size() : Math.min(300, data.size()));
        if (pixelLimit < 0) throw new FeintException("--pixel-limit must be >= 0, got " + pixelLimit);
        if (aaLimit < 0) throw new FeintException("--aa-limit must be >= 0, got " + aaLimit);
        Dataset d = data.slice(0, n), pix = data.slice(0, Math.min(pixelLimit, data.size()));
        Dataset aaData = d.slice(0, Math.min(aaLimit, d.size()));
        float[] radii = new float[eps.size()];
        for (int i = 0; i < radii.length; i++) {
            radii[i] = eps.get(i);
            if (!(radii[i] > 0 && radii[i] <= 1)) throw new FeintException("--eps values must be in (0, 1], got " + radii[i]);
        }
        List<Demoed> demoed = demoed(home);                     // a bad --model fails before any output
        try {
            return run(demoed, d, pix, aaData, radii, n, t0);
        } finally {
            for (Demoed m : demoed) dev.feint.model.Models.close(m.model());   // a TorchScript --model's libtorch memory
        }
    }

    private int run(List<Demoed> demoed, Dataset d, Dataset pix, Dataset aaData, float[] radii, int n, long t0) {
        float mid = radii[radii.length / 2];
        System.out.printf("Feint demo: %d Fashion-MNIST test images (%s), FGSM / PGD-20 / Square (500 queries) at eps %s, one-pixel on %d images,"
                + " AutoAttack standard vs PGD-20 at eps %s on %d images%n", n, full ? "full test set" : "bundled slice", eps, pix.size(),
                Float.toString(mid), aaData.size());
        List<ReportInput> inputs = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (Demoed m : demoed) {
            DifferentiableModel model = m.model();
            d.checkFits(m.file().toString(), model.inputShape(), model.numClasses());
            List<Attack> attacks = List.of(
                    AttackRegistry.create(AttackSpec.of("fgsm").norm(Norm.LINF).eps(radii[0])),
                    AttackRegistry.create(AttackSpec.of("pgd").norm(Norm.LINF).eps(radii[0]).with("steps", 20).with("seed", seed)),
                    AttackRegistry.create(AttackSpec.of("square").norm(Norm.LINF).eps(radii[0]).with("queries", 500)
                            .with("seed", seed)));
            List<AttackOutcome> outcomes = new ArrayList<>();
            Progress bar = new Progress(m.name(), (long) attacks.size() * radii.length);
            int[] runs = {0};
            RobustnessReport r = RobustnessEvaluation.builder().model(model).data(d).attacks(attacks).eps(radii).batchSize(250)
                    .outcomes(o -> { outcomes.add(o); bar.update(++runs[0], o.attack().name()); }).build().run();
            bar.done();
            AttackOutcome px = null;
            if (pix.size() > 0) {
                Attack onePixel = AttackRegistry.create(AttackSpec.of("onepixel").with("pixels", 1).with("seed", seed));
                px = new AttackRunner(model).batchSize(100).run(onePixel, pix);
                outcomes.add(px);
            }
            RobustnessReport aa = null;
            if (aaData.size() > 0) {
                // PGD-20 beside AutoAttack on the same images: the gap is how much PGD alone overstates robustness.
                List<Attack> strong = List.of(
                        AttackRegistry.create(AttackSpec.of("pgd").norm(Norm.LINF).eps(mid).with("steps", 20).with("seed", seed)),
                        AttackRegistry.create(AttackSpec.of("autoattack").norm(Norm.LINF).eps(mid).with("seed", seed)));
                aa = RobustnessEvaluation.builder().model(model).data(aaData).attacks(strong).eps(new float[] {mid}).batchSize(250)
                        .outcomes(o -> { if (o.stages() != null) outcomes.add(o); }).build().run();
            }
            inputs.add(new ReportInput(m.name(), m.metadata(), model, d, r, outcomes));
            rows.add(row(m.name(), r, radii, px, aa, mid));
        }
        printTable(rows, radii);
        if (models == null) System.out.println(verdict(inputs, radii));   // the sentence compares the two bundled models
        String command = "feint demo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Path page;
        try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
            page = new HtmlReport(command.trim(), Version.get(), seed, inputs).stage(out, report);
            out.commit();
        }
        System.out.printf("%nReport: %s  (%.0f s)%n", page.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** A model the demo attacks: the bundled pair, or the --model files. */
    private record Demoed(String name, Path file, DifferentiableModel model, java.util.Map<String, String> metadata) { }

    private List<Demoed> demoed(Path home) {
        List<Demoed> out = new ArrayList<>();
        if (models == null) {
            for (String[] m : MODELS) {
                Path file = home.resolve("demo/models").resolve(m[1]);
                if (!Files.isRegularFile(file))
                    throw new FeintException("demo model " + file + " is missing (regenerate with scripts/train-demo-models.sh)");
                NetworkFile.Loaded loaded = NetworkFile.load(file, GlobalOptions.allowNonfinite);
                out.add(new Demoed(m[0], file, NetworkModel.of(loaded.network()), loaded.metadata()));
            }
            return out;
        }
        if (onnx.ort()) throw new FeintException("--backend ort: the demo runs FGSM and PGD, which need gradients; use --backend feint (the default)");
        for (Path file : models) {
            LoadedModel loaded = LoadedModel.load(file, onnx);
            if (!(loaded.model() instanceof DifferentiableModel dm))
                throw new FeintException("--model " + file + ": the demo needs a model with gradients");
            out.add(new Demoed(file.getFileName().toString(), file, dm, loaded.metadata()));
        }
        return out;
    }

    private static String[] row(String name, RobustnessReport r, float[] radii, AttackOutcome px, RobustnessReport aa, float mid) {
        List<String> cells = new ArrayList<>();
        cells.add(name);
        cells.add(pct(r.cleanAccuracy()));
        for (String a : List.of("fgsm", "pgd", "square"))
            for (float e : radii)
                for (RobustnessReport.Entry en : r.entries())
                    if (en.attack().equals(a) && en.eps() == e) cells.add(pct(en.summary().robustAccuracy()));
        cells.add(px == null ? "-" : pct(px.summary().successRate()));
        for (String a : List.of("pgd", "autoattack")) {
            String v = "-";
            if (aa != null) for (RobustnessReport.Entry en : aa.entries()) if (en.attack().equals(a) && en.eps() == mid) v = pct(en.summary().robustAccuracy());
            cells.add(v);
        }
        return cells.toArray(new String[0]);
    }

    private static void printTable(List<String[]> rows, float[] radii) {
        List<String> head = new ArrayList<>(List.of("model", "clean"));
        for (String a : List.of("FGSM", "PGD-20", "Square")) for (float e : radii) head.add(a + " " + e);
        head.add("1-pixel success");
        head.add("PGD-20 " + radii[radii.length / 2] + " (AA set)");
        head.add("AutoAttack " + radii[radii.length / 2]);
        System.out.println();
        System.out.println("Robust accuracy (higher is more robust):");
        int w0 = 8;
        for (String[] r : rows) w0 = Math.max(w0, r[0].length());
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-" + w0 + "s", head.get(0)));
        for (int i = 1; i < head.size(); i++) h.append(String.format(Locale.ROOT, "  %" + Math.max(7, head.get(i).length()) + "s", head.get(i)));
        System.out.println(h);
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + w0 + "s", r[0]));
            for (int i = 1; i < r.length; i++) b.append(String.format(Locale.ROOT, "  %" + Math.max(7, head.get(i).length()) + "s", r[i]));
            System.out.println(b);
        }
    }

    /** One sentence from the measured figures: PGD at the middle eps, standard vs adversarially trained. */
    static String verdict(List<ReportInput> in, float[] radii) {
        float e = radii[radii.length / 2];
        double[] acc = new double[in.size()];
        for (int i = 0; i < in.size(); i++)
            for (RobustnessReport.Entry en : in.get(i).report().entries())
                if (en.attack().equals("pgd") && en.eps() == e) acc[i] = en.summary().robustAccuracy();
        return String.format(Locale.ROOT, "%nPGD-20 at eps %s: the standard model keeps %s of %s clean accuracy; the adversarially trained one keeps %s of %s.",
                Float.toString(e), pct(acc[0]), pct(in.get(0).report().cleanAccuracy()), pct(acc[1]), pct(in.get(1).report().cleanAccuracy()));
    }

    private static String pct(double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v); }
}
