package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.NamedModel;
import dev.feint.eval.TransferEvaluation;
import dev.feint.eval.TransferReport;
import dev.feint.io.internal.Outputs;
import dev.feint.io.Json;
import dev.feint.report.internal.TransferHtml;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The transfer half of {@code feint eval}, as a picocli mixin: {@code --surrogate S1[,S2...]}
 * crafts the {@code --attacks} on the surrogate(s) (their logit ensemble when several) and
 * evaluates the examples on {@code --model}; the report puts white-box robust accuracy on the
 * surrogate beside transfer robust accuracy on the target. The shared pieces (models, attacks,
 * progress, outputs) also serve {@link TransferCommand}.
 */
final class TransferOptions {
    @Option(names = "--surrogate", split = ",", description = "Transfer evaluation: craft the attacks on these weights or ONNX files "
            + "(several: their averaged logits) and evaluate on --model (which may be answered by --backend ort).")
    List<Path> surrogates;

    public boolean enabled() { return surrogates != null && !surrogates.isEmpty(); }

    /** Runs {@code feint eval --surrogate ...} with the eval command's flags. */
    int run(EvalCommand c) {
        List<Path> files = new ArrayList<>(List.of(c.model.path));
        files.addAll(surrogates);
        try (Loaded l = load(c.data, c.subset, files, c.onnx)) {
            return run(c, l);
        }
    }

    private static int run(EvalCommand c, Loaded l) {
        Dataset d = l.data();
        NamedModel target = l.models().getFirst();
        List<NamedModel> s = l.models().subList(1, l.models().size());
        List<Attack> attacks = attacks(c.robustness);
        float[] eps = eps(c.robustness);
        checkOutputs(c.json, c.markdown, c.report);
        Progress bar = new Progress("transfer", (long) d.size() * attacks.size() * eps.length);
        TransferReport r = TransferEvaluation.builder().surrogates(s).targets(List.of(target)).data(d).attacks(attacks).eps(eps)
                .batchSize(c.robustness.batch).progress(progress(bar)).build().run();
        bar.done();
        boolean toStdout = c.json != null && c.json.toString().equals("-");
        (toStdout ? System.err : System.out).print(r.toMarkdown());
        String command = "feint eval " + String.join(" ", c.spec.commandLine().getParseResult().originalArgs());
        Path page = write(r.toJson(), r.toMarkdown(), c.json, c.markdown, c.report,
                out -> TransferHtml.stage(out, c.report, command, Version.get(), c.robustness.seed, r));
        if (page != null) (toStdout ? System.err : System.out).println("report: " + page);
        return 0;
    }

    /** The models (named after their files) and the data, preprocessed for the first model and checked to fit every one. */
    record Loaded(List<NamedModel> models, Dataset data) implements AutoCloseable {
        /** Frees the models' native sessions (ONNX Runtime, libtorch). */
        @Override public void close() { closeAll(models.stream().map(NamedModel::model).toList()); }
    }

    /** Closes every model, the first failure thrown after all were tried. */
    private static void closeAll(List<? extends dev.feint.model.Model> models) {
        RuntimeException first = null;
        for (var m : models) {
            try {
                dev.feint.model.Models.close(m);
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /**
     * Weights files or ONNX files; the first takes {@code firstOnnx} (the target of {@code eval --surrogate}: its
     * preprocessing flags and --backend), the others are ONNX files with the default preprocessing, on Feint's engine.
     */
    static Loaded load(DataOptions data, SplitOptions subset, List<Path> files, OnnxOptions firstOnnx) {
        subset.check();
        List<LoadedModel> nets = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) nets.add(LoadedModel.load(files.get(i), i == 0 ? firstOnnx : new OnnxOptions()));
            return load(data, subset, files, nets);
        } catch (RuntimeException e) {
            try {
                closeAll(nets.stream().map(LoadedModel::model).toList());
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    private static Loaded load(DataOptions data, SplitOptions subset, List<Path> files, List<LoadedModel> nets) {
        var first = nets.getFirst().model();
        Dataset d = subset.cut(data.load(subset.split, first.inputShape(), first.numClasses(), files.getFirst().toString()));
        List<NamedModel> models = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            var m = nets.get(i).model();
            d.checkFits(files.get(i).toString(), m.inputShape(), m.numClasses());
            models.add(new NamedModel(files.get(i).getFileName().toString().replaceFirst("\\.(safetensors|onnx)$", ""), m));
        }
        return new Loaded(models, d);
    }

    /** The --attacks with the shared attack flags; transfer runs are untargeted and need fixed-eps attacks. */
    static List<Attack> attacks(EvalAttacksSupport a) {
        if (!a.enabled()) throw new FeintException("a transfer evaluation needs --attacks (e.g. --attacks fgsm,mifgsm,difgsm --eps 0.1)");
        if (a.target != null) throw new FeintException("--target: transfer evaluations are untargeted");
        if (a.eps == null || a.eps.isEmpty()) throw new FeintException("--attacks needs --eps (e.g. --eps 0.05,0.1)");
        return a.buildAttacks();
    }

    static float[] eps(EvalAttacksSupport a) {
        float[] e = new float[a.eps.size()];
        for (int i = 0; i < e.length; i++) e[i] = a.eps.get(i);
        return e;
    }

    static AttackRunner.Listener progress(Progress bar) {
        long[] done = new long[1];
        int[] last = new int[1];
        return (name, n, total) -> {
            done[0] += n < last[0] ? n : n - last[0];
            last[0] = n == total ? 0 : n;
            bar.update(done[0], name);
        };
    }

    static void checkOutputs(Path json, Path markdown, Path report) {
        if (json != null && !json.toString().equals("-")) AttackCommand.checkFileTarget("--json", json);
        AttackCommand.checkFileTarget("--markdown", markdown);
        Outputs.checkFile(json == null || json.toString().equals("-") ? null : json);
        Outputs.checkFile(markdown);
        Outputs.check(report);
    }

    /**
     * JSON (a file, or stdout with '-'), Markdown and the report folder ({@code report} stages it
     * when {@code reportDir} is given), written all or none; returns the report page or null.
     */
    static Path write(java.util.Map<String, Object> json, String md, Path jsonPath, Path mdPath, Path reportDir,
                      java.util.function.Function<Outputs, Path> report) {
        String j = Json.writePretty(json) + "\n";
        boolean toStdout = jsonPath != null && jsonPath.toString().equals("-");
        Path page = null;
        try (Outputs out = new Outputs()) {
            if (reportDir != null) page = report.apply(out);
            if (mdPath != null) out.file(mdPath, o -> o.write(md.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (jsonPath != null && !toStdout) out.file(jsonPath, o -> o.write(j.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.commit();
        }
        if (toStdout) {
            System.out.print(j);
            System.out.flush();
        }
        return page;
    }
}
