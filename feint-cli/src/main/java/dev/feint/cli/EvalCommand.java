package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.io.internal.Outputs;
import dev.feint.io.Json;
import dev.feint.model.Model;
import dev.feint.train.Accuracy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code feint eval}: clean accuracy, mean confidence and per-class accuracy of a model. */
@Command(name = "eval", sortOptions = false, // no --version of its own: --version is AutoAttack's
        description = "Evaluate a model: clean accuracy, confidence, per-class accuracy (and robustness with --attacks).")
final class EvalCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin ModelOption model;

    @Mixin OnnxOptions onnx;

    @Mixin DataOptions data;

    @Mixin SplitOptions subset;

    @Option(names = "--json", description = "Write the figures as JSON to FILE, or to stdout with '-' (the text output then goes to stderr).")
    Path json;

    @Option(names = "--markdown", description = "Write the robustness table as Markdown (with --attacks).")
    Path markdown;

    @Option(names = "--report", description = "Write the HTML robustness report (index.html, report.json) into this directory (with --attacks).")
    Path report;

    @Option(names = "--journal", paramLabel = "DIR",
            description = "Record every finished batch in DIR/journal.jsonl (synced), so an interrupted run can be resumed (with --attacks); "
                    + "with --spark: every finished partition's results (DIR/part-NNNNN.jsonl, written by its task) and DIR/job.json.")
    Path journal;

    @Option(names = "--resume", description = "Continue the run recorded in --journal DIR: the same command line plus --resume "
            + "(with --spark: only the partitions without complete results run again); the result equals an uninterrupted run's.")
    boolean resume;

    @Option(names = "--examples", paramLabel = "FILE",
            description = "Write every attack run's per-example results as JSON lines to FILE (with --attacks).")
    Path examples;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the attacks as an Apache Spark job: local[N] or spark://host:port (the data path must be readable by "
                    + "every executor; ./feint builds feint-spark on first use).")
    String spark;

    @Option(names = "--partitions", description = "Spark partitions of the examples, by index, each of whole --batch batches (with --spark; "
            + "default: Spark's parallelism).")
    Integer partitions;

    @Mixin EvalAttacksSupport robustness;

    @Mixin TransferOptions transfer;

    @Option(names = "--audit", description = "Also audit the evaluation at the first --eps (the checks of 'feint audit'); the verdicts "
            + "print after the table and head the report.")
    boolean audit;

    @Override public Integer call() {
        subset.check();
        boolean toStdout = json != null && json.toString().equals("-");
        // Every destination is checked before the work; the outputs are then written all or none.
        Outputs.checkFile(toStdout ? null : json);
        Outputs.checkFile(markdown);
        Outputs.checkFile(examples);
        Outputs.check(report);
        if (transfer.enabled()) return transfer.run(this);
        try (LoadedModel loaded = LoadedModel.load(model.path, onnx)) {
            return evaluate(loaded, toStdout);
        }
    }

    private int evaluate(LoadedModel loaded, boolean toStdout) {
        Model net = loaded.model();
        Dataset d = dataset(net);
        if (d.size() == 0) throw new FeintException(data + ": the " + subset.split + " split has no images (expected at least one to evaluate)");
        java.io.PrintStream human = toStdout ? System.err : System.out;
        boolean attacks = robustness.enabled();
        if (resume && journal == null) throw new FeintException("--resume needs --journal DIR (the folder of the interrupted run)");
        if (journal != null && !attacks) throw new FeintException("--journal needs --attacks (the clean figures take no time to redo)");
        if (!attacks && (markdown != null || report != null || examples != null))
            throw new FeintException((markdown != null ? "--markdown" : report != null ? "--report" : "--examples")
                    + " needs --attacks (e.g. --attacks fgsm,pgd --eps 0.05,0.1)");
        EvalAttacksSupport.Cluster cluster = cluster(attacks, d, human);
        if (journal != null && cluster == null && java.nio.file.Files.exists(journal.resolve("job.json")))
            throw new FeintException("--journal " + journal + ": holds the partitions of a feint eval --spark job (job.json); "
                    + "resume it with --spark");
        if (audit && !attacks) throw new FeintException("--audit needs --attacks and --eps (it audits the evaluation at the first eps)");
        if (attacks && !(net instanceof dev.feint.model.DifferentiableModel))                  // before any output
            LoadedModel.checkAttacks(net, robustness.buildAttacks(), "--attacks");
        if (audit && !(net instanceof dev.feint.model.DifferentiableModel))
            throw new FeintException("--audit needs gradients (PGD, APGD, the gradient checks), which --backend ort does not give; "
                    + "use --backend feint (the default)");
        CleanMetrics m = CleanMetrics.of(net, d);
        human.printf("%s on %s/%s (%,d images): accuracy %.2f%%, mean confidence %.2f%%%s%n",
                model.path.getFileName(), d.name(), subset.split, d.size(), 100 * m.accuracy(), 100 * m.meanConfidence(),
                loaded.backend().equals("feint") ? "" : " (queries answered by " + loaded.backend() + ")");
        List<String> names = loaded.classNames();
        for (int c = 0; c < m.perClass().length; c++)
            human.printf("  %-12s %6.2f%%%n", names.get(c), 100 * m.perClass()[c]);
        dev.feint.eval.RobustnessReport r = null;
        List<dev.feint.eval.AttackOutcome> outcomes = new ArrayList<>();
        if (attacks) {
            try (var j = journal == null || cluster != null ? null : dev.feint.eval.EvalJournal.open(journal, fingerprint(), resume)) {
                r = robustness.run(net, d, outcomes::add, j, cluster);
            }
            human.println();
            for (var o : outcomes)
                if (o.stages() != null) {
                    human.printf("%s (%s, %s, eps %s):%n", o.attack().name(), o.attack().parameters().get("version"), o.attack().norm().id(),
                            o.attack().eps());
                    human.print(dev.feint.eval.StageTable.toText(o.stages()));
                    if (o.attack() instanceof dev.feint.attack.AutoAttack aa && !aa.missing().isEmpty())
                        human.println("  not run (not available in this build): " + String.join(", ", aa.missing()));
                }
            human.print(r.toMarkdown());
        }
        dev.feint.eval.audit.AuditReport ar = null;
        if (audit) {
            ar = AuditCommand.run((dev.feint.model.DifferentiableModel) net, null, d,
                    robustness.norm == null ? dev.feint.attack.Norm.LINF : dev.feint.attack.Norm.parse(robustness.norm),
                    robustness.eps.get(0), robustness.seed, robustness.batch, dev.feint.eval.audit.AuditBudget.DEFAULT);
            human.println();
            human.print(ar.toMarkdown());
            human.println();
            human.println(ar.headline());
        }
        String reportCommand = "feint eval " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String page = null;
        try (Outputs out = new Outputs()) {
            if (report != null) {
                var input = new dev.feint.report.internal.ReportInput(model.path.getFileName().toString(), loaded.metadata(), net, d, r, outcomes, ar);
                page = new dev.feint.report.internal.HtmlReport(reportCommand, Version.get(), robustness.seed, List.of(input)).stage(out, report).toString();
            }
            if (markdown != null) {
                String md = (ar != null ? ar.toMarkdown() + "\n" : "") + "Queries answered by: " + loaded.backend() + "\n\n" + r.toMarkdown();
                out.file(markdown, s -> s.write(md.getBytes(StandardCharsets.UTF_8)));
            }
            if (examples != null) out.file(examples, s -> s.write(exampleLines(outcomes).getBytes(StandardCharsets.UTF_8)));
            String doc = json == null ? null : Json.writePretty(document(m, d, names, r, ar, loaded.backend())) + "\n";
            if (toStdout) {
                System.out.print(doc);
                System.out.flush();
            } else if (doc != null) {
                out.file(json, s -> s.write(doc.getBytes(StandardCharsets.UTF_8)));
            }
            out.commit();
        }
        if (page != null) human.println("report: " + page);
        return 0;
    }

    /** The Spark job of --spark (found on the class path: feint-spark), or null without --spark. */
    private EvalAttacksSupport.Cluster cluster(boolean attacks, Dataset d, java.io.PrintStream human) {
        int size = d.size();
        if (partitions != null && spark == null) throw new FeintException("--partitions needs --spark MASTER");
        if (spark == null) return null;
        if (!attacks) throw new FeintException("--spark needs --attacks (the clean figures take no time to distribute)");
        int batch = robustness.batch;
        checkPartitions(partitions, size, batch);
        if (journal != null) SparkShards.checkJobFolder("--journal", journal, resume, "journal.jsonl", "a single-machine feint eval "
                + "--journal (resume it without --spark)");
        List<String> args = ClusterProvider.taskArgs(spec.commandLine().getParseResult(), "eval");
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("command", "eval");
        job.put("model", model.path.getFileName().toString());
        job.put("data", d.name());
        job.put("split", subset.split);
        job.put("examples", (long) size);
        job.put("batch", (long) batch);
        job.put("attacks", robustness.buildSpecs().stream().map(Object::toString).toList());
        job.put("eps", robustness.eps == null ? List.of() : robustness.eps.stream().map(e -> (double) e).toList());
        job.put("target", robustness.target == null ? "" : robustness.target);
        job.put("flags", ClusterProvider.resultFlags(spec.commandLine().getParseResult()));
        return ClusterProvider.find().cluster(new ClusterProvider.Eval(spark, partitions, args, model.path, job, size, batch, journal, resume),
                human);
    }

    /** --partitions (null: not given) must leave every partition a whole number of at least one --batch batch. */
    static void checkPartitions(Integer partitions, int size, int batch) {
        int batches = (int) ((size + (long) batch - 1) / Math.max(1, batch));
        if (partitions != null && (partitions < 1 || partitions > batches))
            throw new FeintException("--partitions must be in [1, " + batches + "] for " + size + " examples in batches of " + batch
                    + " (a partition holds whole batches, so that it computes what one machine does), got " + partitions);
    }

    /** Dataset of --data/--split (preprocessed for and checked against net), cut to --limit. */
    Dataset dataset(Model net) {
        Dataset d = subset.cut(data.load(subset.split, net.inputShape(), net.numClasses(), model.path.toString()));
        return d;
    }

    /** One JSON line per example per attack run: {"run", "attack", "eps", then the per-example fields}. */
    static String exampleLines(List<dev.feint.eval.AttackOutcome> outcomes) {
        StringBuilder b = new StringBuilder();
        for (int run = 0; run < outcomes.size(); run++) {
            var o = outcomes.get(run);
            for (var e : o.examples()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("run", (long) run);
                line.put("attack", o.attack().name());
                line.put("eps", o.attack().minimumNorm() || o.pixelAttack() ? null : (Object) (double) o.attack().eps());
                line.putAll(e.toMap());
                b.append(Json.write(line)).append('\n');
            }
        }
        return b.toString();
    }

    private Map<String, Object> document(CleanMetrics m, Dataset d, List<String> names, dev.feint.eval.RobustnessReport r,
                                         dev.feint.eval.audit.AuditReport ar, String backend) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.path.toString());
        o.put("backend", backend);
        o.put("data", d.name());
        o.put("split", subset.split);
        o.put("examples", d.size());
        o.put("dataset", d.describe());
        o.put("accuracy", m.accuracy());
        o.put("meanConfidence", m.meanConfidence());
        Map<String, Object> pc = new LinkedHashMap<>();
        for (int c = 0; c < m.perClass().length; c++) pc.put(names.get(c), m.perClass()[c]);
        o.put("perClassAccuracy", pc);
        if (r != null) o.put("robustness", r.toJson());
        if (ar != null) o.put("audit", ar.toJson());
        return o;
    }

    /** What makes a run's results: the command line (without --resume) and the model file's size and time. */
    private String fingerprint() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        args.remove("--resume");
        try {
            return String.join(" ", args) + "|" + java.nio.file.Files.size(model.path) + "|" + java.nio.file.Files.getLastModifiedTime(model.path);
        } catch (java.io.IOException e) {
            throw new FeintException(model.path + ": cannot read (" + dev.feint.io.internal.IoMessages.reason(e) + ")", e);
        }
    }

    /** Clean figures. */
    record CleanMetrics(double accuracy, double meanConfidence, double[] perClass) {
        static CleanMetrics of(Model net, Dataset d) {
            int k = d.numClasses();
            long[] seen = new long[k], ok = new long[k];
            double conf = 0;
            long correct = 0;
            try (var ng = dev.feint.autograd.Grad.noGrad()) {
                for (dev.feint.data.Batch b : dev.feint.data.Batches.inOrder(d, 256).prefetched().epoch(0)) {
                    var p = dev.feint.autograd.Softmax.softmax(net.logits(b.x()));
                    int[] pred = dev.feint.autograd.Reductions.argmaxLast(p);
                    for (int i = 0; i < pred.length; i++) {
                        int y = b.y()[i];
                        seen[y]++;
                        conf += p.data()[i * k + pred[i]];
                        if (pred[i] == y) { ok[y]++; correct++; }
                    }
                }
            }
            double[] pc = new double[k];
            for (int c = 0; c < k; c++) pc[c] = seen[c] == 0 ? Double.NaN : (double) ok[c] / seen[c];
            return new CleanMetrics((double) correct / d.size(), conf / d.size(), pc);
        }
    }
}
