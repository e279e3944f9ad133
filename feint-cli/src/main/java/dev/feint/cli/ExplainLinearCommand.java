package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.eval.LinearExplanation;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.NetworkFile;
import dev.feint.report.internal.LinearHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code feint explain-linear --model M[,M2...] --data D}: the linear explanation measured
 * ({@link LinearExplanation}): predicted logit-gap change {@code eps * ||grad||_1} against the
 * measured one, per model; several models trained at several input sizes (with {@code --fit})
 * show how it grows with the input dimension. Markdown on stdout, JSON, and an HTML page with
 * the charts.
 */
@Command(name = "explain-linear", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The linear explanation measured: predicted (eps*||grad||_1) vs measured logit-gap change, over eps and input size.")
final class ExplainLinearCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", split = ",", required = true, description = "Weights files (.safetensors); several: one section each.")
    List<Path> models;

    @Mixin DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "1000", description = "Only the first N examples, 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--eps", split = ",", defaultValue = "0.005,0.01,0.02,0.05,0.1",
            description = "Step sizes of eps*sign(grad) (default: ${DEFAULT-VALUE}).")
    List<Float> eps;

    @Option(names = "--batch", defaultValue = "100", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Write the figures as JSON to FILE, or to stdout with '-'.")
    Path json;

    @Option(names = "--markdown", description = "Write the tables as Markdown.")
    Path markdown;

    @Option(names = "--report", description = "Write the HTML page with the charts (index.html, report.json) into this directory.")
    Path report;

    private static final Set<String> LINEAR_LAYERS = Set.of("flatten", "linear", "dropout");

    @Override public Integer call() {
        if (!split.equals("train") && !split.equals("test")) throw new FeintException("--split must be train or test, got '" + split + "'");
        if (batch < 1) throw new FeintException("--batch must be >= 1, got " + batch);
        float[] e = new float[eps.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = eps.get(i);
            if (!(e[i] > 0 && e[i] <= 1)) throw new FeintException("--eps must be in (0, 1], got " + eps.get(i));
        }
        TransferOptions.checkOutputs(json, markdown, report);
        List<LinearHtml.Entry> entries = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        for (Path file : models) {
            NetworkFile.Loaded l = NetworkFile.load(file, GlobalOptions.allowNonfinite);
            Architecture a = l.network().architecture();
            Dataset d = data.load(split, a.input(), a.numClasses(), file.toString());
            d = d.slice(0, TrainCommand.checkLimit("--limit", limit, d.size()));
            LinearExplanation.Report r = LinearExplanation.builder().model(NetworkModel.of(l.network())).data(d).eps(e).batchSize(batch)
                    .build().run();
            String name = file.getFileName().toString().replaceFirst("\\.safetensors$", ""), kind = kind(a);
            entries.add(new LinearHtml.Entry(name, a.name(), kind, r));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", name);
            m.put("file", file.toString());
            m.put("architecture", a.name());
            m.put("kind", kind);
            m.putAll(r.toMap());
            rows.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data.fingerprint());
        body.put("split", split);
        body.put("score", "logit gap z_j - z_y, j the top other class; predicted eps*||grad||_1, measured unclipped and clipped");
        body.put("models", rows);
        String md = markdown(entries);
        boolean toStdout = json != null && json.toString().equals("-");
        (toStdout ? System.err : System.out).print(md);
        String command = "feint explain-linear " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Path page = TransferOptions.write(body, md, json, markdown, report,
                out -> LinearHtml.stage(out, report, command, Version.get(), entries, body));
        if (page != null) (toStdout ? System.err : System.out).println("report: " + page);
        return 0;
    }

    /** linear (the prediction is exact), ends in a linear layer, or nonlinear. */
    static String kind(Architecture a) {
        List<LayerSpec> ls = a.layers();
        if (ls.stream().allMatch(s -> LINEAR_LAYERS.contains(s.type()))) return "linear in its input";
        return ls.getLast().type().equals("linear") ? "ends in a linear layer" : "nonlinear";
    }

    static String markdown(List<LinearHtml.Entry> entries) {
        StringBuilder b = new StringBuilder("## Linear explanation\n\n").append(entries.getFirst().report().examples())
                .append(" examples; g = input gradient of the logit gap z_j - z_y (j the top other class); means over the examples.\n\n")
                .append("| model | kind | input | n | mean ‖g‖₁ | mean \\|g_i\\| | eps | predicted eps·‖g‖₁ | measured | measured / predicted "
                        + "| worst example rel. deviation | measured, clipped | error, clipped |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LinearHtml.Entry en : entries) {
            LinearExplanation.Report r = en.report();
            String shape = String.join("x", java.util.Arrays.stream(r.input()).mapToObj(Integer::toString).toList());
            for (LinearExplanation.Point p : r.points())
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.5f | %s | %.4f | %.4f | %.4f | %.1e | %.4f | %.1f%% |%n",
                        en.name(), en.kind(), shape, r.inputSize(), r.meanGradL1(), r.meanAbsGrad(), Float.toString(p.eps()), p.predicted(),
                        p.measured(), p.measured() / p.predicted(), p.maxRelativeDeviation(), p.measuredClipped(), 100 * p.errorClipped()));
        }
        return b.toString();
    }
}
