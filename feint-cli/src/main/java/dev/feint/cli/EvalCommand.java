package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.io.Outputs;
import dev.feint.io.Json;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
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
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model: clean accuracy, confidence, per-class accuracy (and robustness with --attacks).")
public final class EvalCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Weights file (.safetensors).")
    Path model;

    @Option(names = "--data", required = true, description = "fashion-mnist, mnist, or a directory with the IDX files.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", description = "Only the first N examples.")
    Integer limit;

    @Option(names = "--json", description = "Write the figures as JSON to FILE, or to stdout with '-' (the text output then goes to stderr).")
    Path json;

    @Option(names = "--markdown", description = "Write the robustness table as Markdown (with --attacks).")
    Path markdown;

    @Option(names = "--report", description = "Write the HTML robustness report (index.html, report.json) into this directory (with --attacks).")
    Path report;

    @Option(names = "--journal", paramLabel = "DIR",
            description = "Record every finished batch in DIR/journal.jsonl (synced), so an interrupted run can be resumed (with --attacks).")
    Path journal;

    @Option(names = "--resume", description = "Continue the run recorded in --journal DIR: the same command line plus --resume; "
            + "the result equals an uninterrupted run's.")
    boolean resume;

    @Mixin EvalAttacksSupport robustness;

    @Override public Integer call() {
        if (!split.equals("train") && !split.equals("test"))
            throw new FeintException("--split must be train or test, got '" + split + "'");
        boolean toStdout = json != null && json.toString().equals("-");
        // Every destination is checked before the work; the outputs are then written all or none.
        Outputs.checkFile(toStdout ? null : json);
        Outputs.checkFile(markdown);
        Outputs.check(report);
        NetworkFile.Loaded loaded = NetworkFile.load(model, GlobalOptions.allowNonfinite);
        Network net = loaded.network();
        Dataset d = Datasets.load(data, split);
        if (limit != null) d = d.slice(0, TrainCommand.checkLimit("--limit", limit, d.size()));
        checkShape(net, d, model.toString());
        if (d.size() == 0) throw new FeintException(data + ": the " + split + " split has no images (expected at least one to evaluate)");
        java.io.PrintStream human = toStdout ? System.err : System.out;
        boolean attacks = robustness.enabled();
        if (resume && journal == null) throw new FeintException("--resume needs --journal DIR (the folder of the interrupted run)");
        if (journal != null && !attacks) throw new FeintException("--journal needs --attacks (the clean figures take no time to redo)");
        if (!attacks && (markdown != null || report != null))
            throw new FeintException((markdown != null ? "--markdown" : "--report") + " needs --attacks (e.g. --attacks fgsm,pgd --eps 0.05,0.1)");
        CleanMetrics m = CleanMetrics.of(net, d);
        human.printf("%s on %s/%s (%,d images): accuracy %.2f%%, mean confidence %.2f%%%n",
                model.getFileName(), d.name(), split, d.size(), 100 * m.accuracy(), 100 * m.meanConfidence());
        List<String> names = loaded.classNames();
        for (int c = 0; c < m.perClass().length; c++)
            human.printf("  %-12s %6.2f%%%n", names.get(c), 100 * m.perClass()[c]);
        dev.feint.eval.RobustnessReport r = null;
        List<dev.feint.eval.AttackOutcome> outcomes = new ArrayList<>();
        if (attacks) {
            try (var j = journal == null ? null : dev.feint.eval.EvalJournal.open(journal, fingerprint(), resume)) {
                r = robustness.run(net, d, report == null ? null : outcomes::add, j);
            }
            human.println();
            human.print(r.toMarkdown());
        }
        String reportCommand = "feint eval " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String page = null;
        try (Outputs out = new Outputs()) {
            if (report != null) {
                var input = new dev.feint.report.ReportInput(model.getFileName().toString(), loaded.metadata(),
                        dev.feint.model.NetworkModel.of(net), d, r, outcomes);
                var html = new dev.feint.report.HtmlReport(reportCommand, Version.get(), robustness.seed, List.of(input));
                page = html.stage(out, report).toString();
            }
            if (markdown != null) {
                String md = r.toMarkdown();
                out.file(markdown, s -> s.write(md.getBytes(StandardCharsets.UTF_8)));
            }
            String doc = json == null ? null : Json.writePretty(document(m, d, names, r)) + "\n";
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

    private Map<String, Object> document(CleanMetrics m, Dataset d, List<String> names, dev.feint.eval.RobustnessReport r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.toString());
        o.put("data", d.name());
        o.put("split", split);
        o.put("examples", d.size());
        o.put("accuracy", m.accuracy());
        o.put("meanConfidence", m.meanConfidence());
        Map<String, Object> pc = new LinkedHashMap<>();
        for (int c = 0; c < m.perClass().length; c++) pc.put(names.get(c), m.perClass()[c]);
        o.put("perClassAccuracy", pc);
        if (r != null) o.put("robustness", r.toJson());
        return o;
    }

    /** What makes a run's results: the command line (without --resume) and the model file's size and time. */
    private String fingerprint() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        args.remove("--resume");
        try {
            return String.join(" ", args) + "|" + java.nio.file.Files.size(model) + "|" + java.nio.file.Files.getLastModifiedTime(model);
        } catch (java.io.IOException e) {
            throw new FeintException(model + ": cannot read (" + dev.feint.io.IoMessages.reason(e) + ")", e);
        }
    }

    static void checkShape(Network net, Dataset d, String modelName) {
        if (!java.util.Arrays.equals(net.architecture().input(), d.exampleShape()))
            throw new FeintException(modelName + ": model input " + java.util.Arrays.toString(net.architecture().input())
                    + " does not match the data's " + java.util.Arrays.toString(d.exampleShape()));
        if (net.architecture().numClasses() != d.numClasses())
            throw new FeintException(modelName + ": model has " + net.architecture().numClasses() + " classes, data has " + d.numClasses());
    }

    /** Clean figures. */
    record CleanMetrics(double accuracy, double meanConfidence, double[] perClass) {
        static CleanMetrics of(Network net, Dataset d) {
            net.eval();
            int k = d.numClasses();
            int[] labels = d.labels();
            long[] seen = new long[k], ok = new long[k];
            double conf = 0;
            long correct = 0;
            int per = d.images().size() / Math.max(1, d.size());
            try (var ng = dev.feint.autograd.Grad.noGrad()) {
                for (int from = 0; from < d.size(); from += 256) {
                    int to = Math.min(d.size(), from + 256);
                    int[] dims = d.images().dims();
                    dims[0] = to - from;
                    float[] buf = new float[(to - from) * per];
                    System.arraycopy(d.images().data(), from * per, buf, 0, buf.length);
                    var p = dev.feint.autograd.Softmax.softmax(net.forward(dev.feint.tensor.Tensor.of(buf, dims)));
                    int[] pred = dev.feint.autograd.Reductions.argmaxLast(p);
                    for (int i = 0; i < pred.length; i++) {
                        int y = labels[from + i];
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
