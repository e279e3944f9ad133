package dev.feint.cli;

import dev.feint.attack.Attack;
import dev.feint.data.Dataset;
import dev.feint.eval.NamedModel;
import dev.feint.eval.TransferMatrix;
import dev.feint.report.internal.TransferHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code feint transfer --models A,B,C --data D --attacks mifgsm,difgsm --eps 0.1}: the
 * transfer matrix, every attack crafted on each model and evaluated on each, as Markdown,
 * JSON and an HTML heat table.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Transfer matrix: attacks crafted on each model, evaluated on each.")
final class TransferCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--models", split = ",", required = true, description = "Two or more weights files (.safetensors) or ONNX models (.onnx, default preprocessing: inputs in [0, 1]).")
    List<Path> models;

    @Mixin DataOptions data;

    @Mixin SplitOptions subset;

    @Option(names = "--json", description = "Write the matrix as JSON to FILE, or to stdout with '-'.")
    Path json;

    @Option(names = "--markdown", description = "Write the matrix as Markdown.")
    Path markdown;

    @Option(names = "--report", description = "Write the HTML heat tables (index.html, report.json) into this directory.")
    Path report;

    @Mixin EvalAttacksSupport attacks;

    @Override public Integer call() {
        try (TransferOptions.Loaded l = TransferOptions.load(data, subset, models, new OnnxOptions())) {
            return transfer(l);
        }
    }

    private int transfer(TransferOptions.Loaded l) {
        Dataset d = l.data();
        List<NamedModel> ms = l.models();
        List<Attack> list = TransferOptions.attacks(attacks);
        float[] eps = TransferOptions.eps(attacks);
        TransferOptions.checkOutputs(json, markdown, report);
        Progress bar = new Progress("transfer", (long) d.size() * list.size() * eps.length * ms.size());
        TransferMatrix.Report r = TransferMatrix.builder().models(ms).data(d).attacks(list).eps(eps).batchSize(attacks.batch)
                .progress(TransferOptions.progress(bar)).build().run();
        bar.done();
        boolean toStdout = json != null && json.toString().equals("-");
        (toStdout ? System.err : System.out).print(r.toMarkdown());
        String command = "feint transfer " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Path page = TransferOptions.write(r.toJson(), r.toMarkdown(), json, markdown, report,
                out -> TransferHtml.stage(out, report, command, Version.get(), attacks.seed, r));
        if (page != null) (toStdout ? System.err : System.out).println("report: " + page);
        return 0;
    }
}
