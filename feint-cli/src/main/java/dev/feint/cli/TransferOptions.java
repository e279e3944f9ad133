package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.NamedModel;
import dev.feint.eval.TransferEvaluation;
import dev.feint.eval.TransferReport;
import dev.feint.io.AtomicFiles;
import dev.feint.io.Json;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.report.TransferHtml;
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
public final class TransferOptions {
    @Option(names = "--surrogate", split = ",", description = "Transfer evaluation: craft the attacks on these weights files "
            + "(several: their averaged logits) and evaluate on --model.")
    List<Path> surrogates;

    public boolean enabled() { return surrogates != null && !surrogates.isEmpty(); }

    /** Runs {@code feint eval --surrogate ...} with the eval command's flags. */
    int run(EvalCommand c) {
        Dataset d = data(c.data, c.split, c.limit);
        NamedModel target = load(c.model, d);
        List<NamedModel> s = new ArrayList<>();
        for (Path p : surrogates) s.add(load(p, d));
        List<Attack> attacks = attacks(c.robustness);
        float[] eps = eps(c.robustness);
        checkOutputs(c.json, c.markdown);
        Progress bar = new Progress("transfer", (long) d.size() * attacks.size() * eps.length);
        TransferReport r = TransferEvaluation.builder().surrogates(s).targets(List.of(target)).data(d).attacks(attacks).eps(eps)
                .batchSize(c.robustness.batch).progress(progress(bar)).build().run();
        bar.done();
        boolean toStdout = c.json != null && c.json.toString().equals("-");
        (toStdout ? System.err : System.out).print(r.toMarkdown());
        String command = "feint eval " + String.join(" ", c.spec.commandLine().getParseResult().originalArgs());
        write(r.toJson(), r.toMarkdown(), c.json, c.markdown);
        if (c.report != null) (toStdout ? System.err : System.out).println("report: "
                + TransferHtml.write(c.report, command, Version.get(), c.robustness.seed, r));
        return 0;
    }

    static Dataset data(String data, String split, Integer limit) {
        if (!split.equals("train") && !split.equals("test")) throw new FeintException("--split must be train or test, got '" + split + "'");
        Dataset d = Datasets.load(data, split);
        return limit == null ? d : d.slice(0, TrainCommand.checkLimit("--limit", limit, d.size()));
    }

    /** The weights file as a model named after the file, checked to fit the data. */
    static NamedModel load(Path p, Dataset d) {
        NetworkFile.Loaded l = NetworkFile.load(p);
        EvalCommand.checkShape(l.network(), d, p.toString());
        String name = p.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return new NamedModel(name, NetworkModel.of(l.network()));
    }

    /** The --attacks with the shared attack flags; transfer runs are untargeted and need fixed-eps attacks. */
    static List<Attack> attacks(EvalAttacksSupport a) {
        if (!a.enabled()) throw new FeintException("a transfer evaluation needs --attacks (e.g. --attacks fgsm,mifgsm,difgsm --eps 0.1)");
        if (a.target != null) throw new FeintException("--target: transfer evaluations are untargeted");
        if (a.eps == null || a.eps.isEmpty()) throw new FeintException("--attacks needs --eps (e.g. --eps 0.05,0.1)");
        return EvalAttacksSupport.attacks(a.attacks, a.norm == null ? null : Norm.parse(a.norm), a.steps, a.restarts, a.seed,
                a.eps.getFirst(), new EvalAttacksSupport.BlackBoxOptions(a.queries, a.pixels, a.population, a.pInit, a.basis));
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

    static void checkOutputs(Path json, Path markdown) {
        if (json != null && !json.toString().equals("-")) AttackCommand.checkFileTarget("--json", json);
        AttackCommand.checkFileTarget("--markdown", markdown);
    }

    /** JSON (a file, or stdout with '-') and Markdown, both rendered before either is written. */
    static void write(java.util.Map<String, Object> json, String md, Path jsonPath, Path mdPath) {
        String j = Json.writePretty(json) + "\n";
        if (jsonPath != null && jsonPath.toString().equals("-")) {
            System.out.print(j);
            System.out.flush();
        } else if (jsonPath != null) AtomicFiles.writeString(jsonPath, j);
        if (mdPath != null) AtomicFiles.writeString(mdPath, md);
    }
}
