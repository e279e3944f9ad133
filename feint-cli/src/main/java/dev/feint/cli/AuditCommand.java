package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.eval.audit.Audit;
import dev.feint.eval.audit.AuditBudget;
import dev.feint.eval.audit.AuditReport;
import dev.feint.eval.audit.Verdict;
import dev.feint.io.Json;
import dev.feint.model.DifferentiableModel;
import dev.feint.report.internal.HtmlReport;
import dev.feint.report.internal.ReportInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code feint audit}: runs the {@link Audit} checks on a model at one threat model and prints
 * each verdict with its figure. Exit code 3 with {@code --strict} when any check fails, so an
 * audit can gate a build.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check whether a robustness evaluation of a model can be trusted (gradient masking, convergence, "
                + "randomness, ...): PASS, WARN or FAIL per check, with the figure that decided it.")
final class AuditCommand implements Callable<Integer> {
    /** The exit code of {@code --strict} when a check fails. */
    public static final int STRICT_FAILURE = 3;

    @Mixin GlobalOptions global;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Weights file (.safetensors) or ONNX model (.onnx).")
    Path model;

    @Mixin OnnxOptions onnx;

    @Mixin DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--eps", required = true, description = "The radius whose robust accuracy is audited, e.g. 0.1.")
    float eps;

    @Option(names = "--norm", defaultValue = "linf", description = "linf, l2 or l1 (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--limit", description = "Only the first N examples (0: all; the audit runs many attacks: 200-1,000 is typical).")
    Integer limit;

    @Option(names = "--surrogate", description = "A naturally trained model of the same task (.safetensors, or .onnx with the "
            + "default preprocessing): adds the transfer check.")
    Path surrogate;

    @Option(names = "--strict", description = "Exit with code 3 when any check fails.")
    boolean strict;

    @Option(names = "--json", description = "Write the audit as JSON to FILE, or to stdout with '-' (the text then goes to stderr).")
    Path json;

    @Option(names = "--markdown", description = "Write the audit as Markdown to FILE.")
    Path markdown;

    @Option(names = "--report", description = "Write the HTML report (index.html, report.json) into this directory.")
    Path report;

    @Option(names = "--steps", description = "Steps of the long PGD runs (default 100; the short run takes a tenth).")
    Integer steps;

    @Option(names = "--restarts", description = "Restarts of the long PGD run (default 5).")
    Integer restarts;

    @Option(names = "--queries", description = "Square's queries per example (default 5,000, AutoAttack's).")
    Integer queries;

    @Option(names = "--targets", description = "Target classes of APGD-T (default 9, AutoAttack's).")
    Integer targets;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random starts, noise and Square (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Examples per attack batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override public Integer call() {
        if (!split.equals("train") && !split.equals("test")) throw new FeintException("--split must be train or test, got '" + split + "'");
        AttackCommand.checkFileTarget("--json", json);
        AttackCommand.checkFileTarget("--markdown", markdown);
        dev.feint.io.internal.Outputs.check(json == null || json.toString().equals("-") ? null : json, markdown, report);
        try (LoadedModel loaded = LoadedModel.load(model, onnx);
             LoadedModel surrogateLoaded = surrogate == null ? null : LoadedModel.load(surrogate, new OnnxOptions())) {
            return audit(loaded, surrogateLoaded);
        }
    }

    private int audit(LoadedModel loaded, LoadedModel surrogateLoaded) {
        DifferentiableModel m = differentiable(loaded, "--backend ort");
        Dataset d = data.load(split, m.inputShape(), m.numClasses(), model.toString());
        if (limit != null) d = d.slice(0, TrainCommand.checkLimit("--limit", limit, d.size()));
        DifferentiableModel sur = null;
        if (surrogateLoaded != null) {
            sur = differentiable(surrogateLoaded, "--surrogate");
            d.checkFits(surrogate.toString(), sur.inputShape(), sur.numClasses());
        }
        boolean toStdout = json != null && json.toString().equals("-");
        PrintStream human = toStdout ? System.err : System.out;
        Norm nm;
        try {
            nm = Norm.parse(norm);
        } catch (FeintException e) {
            throw new FeintException("--norm: " + e.getMessage());
        }
        AuditReport r = run(m, sur, d, nm, eps, seed, batch, budget());
        human.print(r.toMarkdown());
        human.println();
        human.println(r.headline());
        String command = "feint audit " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String page = null;
        try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
            if (report != null) {
                ReportInput in = new ReportInput(model.getFileName().toString(), loaded.metadata(), m, d, r.evaluation(), List.of(), r);
                page = new HtmlReport(command, Version.get(), seed, List.of(in)).stage(out, report).toString();
            }
            if (markdown != null) {
                String md = r.toMarkdown();
                out.file(markdown, s -> s.write(md.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            if (json != null) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", model.toString());
                o.put("surrogate", surrogate == null ? null : surrogate.toString());
                o.put("data", d.name());
                o.put("split", split);
                o.put("dataset", d.describe());
                o.put("audit", r.toJson());
                String text = Json.writePretty(o) + "\n";
                if (toStdout) {
                    System.out.print(text);
                    System.out.flush();
                } else {
                    out.file(json, s -> s.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            out.commit();
        }
        if (page != null) human.println("report: " + page);
        return exitCode(r, strict);
    }

    /** The audit runs gradient attacks (PGD, APGD, the gradient checks): a model answered by ONNX Runtime cannot be audited. */
    private static DifferentiableModel differentiable(LoadedModel l, String what) {
        if (l.model() instanceof DifferentiableModel dm) return dm;
        throw new FeintException(what + ": the audit needs gradients (PGD, APGD, the gradient checks), which ONNX Runtime does not give; "
                + "use --backend feint (the default)");
    }

    /** The default budget with the flags given. */
    private AuditBudget budget() {
        try {
            AuditBudget b = AuditBudget.DEFAULT;
            if (steps != null) b = b.withSteps(Math.max(1, steps / 10), steps);
            if (restarts != null) b = b.withRestarts(restarts);
            if (queries != null) b = b.withSquareQueries(queries);
            if (targets != null) b = b.withTargets(targets);
            return b;
        } catch (dev.feint.BadParameterException e) {
            throw e;                                              // Main puts the flag in its parameter's place
        } catch (FeintException e) {
            throw new FeintException(flags(e.getMessage()));
        }
    }

    /** 3 when strict and any check failed, else 0. */
    static int exitCode(AuditReport r, boolean strict) { return strict && r.verdict() == Verdict.FAIL ? STRICT_FAILURE : 0; }

    /**
     * The audit as {@code feint audit} and {@code feint eval --audit} run it: progress on stderr
     * (one line per attack run, unless --quiet), the library's parameter names turned into flags.
     */
    static AuditReport run(DifferentiableModel m, DifferentiableModel surrogate, Dataset d, Norm norm, float eps, long seed, int batch,
                           AuditBudget budget) {
        Audit a;
        try {
            a = Audit.builder().model(m).surrogate(surrogate).data(d).norm(norm).eps(eps).seed(seed).batchSize(batch).budget(budget)
                    .listener(what -> {
                        if (!GlobalOptions.quiet) System.err.println("audit: " + what);
                    }).build();
        } catch (dev.feint.BadParameterException e) {
            throw e;                                              // Main puts the flag in its parameter's place
        } catch (FeintException e) {
            throw new FeintException(flags(e.getMessage()));
        }
        return a.run();
    }

    /** "audit: eps must be ..." -> "--eps must be ...". */
    static String flags(String message) {
        for (String[] p : new String[][] {{"audit: eps", "--eps"}, {"audit: norm", "--norm"}, {"audit: batch size", "--batch"},
                {"audit: strongSteps", "--steps"}, {"audit: weakSteps", "--steps"}, {"audit: restarts", "--restarts"},
                {"audit: squareQueries", "--queries"}, {"audit: targets", "--targets"}})
            if (message.startsWith(p[0])) return p[1] + message.substring(p[0].length());
        return message;
    }
}
