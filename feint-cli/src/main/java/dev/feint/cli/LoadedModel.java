package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.model.Models;
import dev.feint.onnx.OrtModel;
import dev.feint.onnx.OrtRunner;
import dev.feint.tensor.Parallel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model given by --model, read by {@link Models#load} (which decides the format from the content),
 * as attacks see it, with its class names, metadata and the backend that answers its queries
 * (feint, djl (libtorch) for TorchScript, or ort for {@code --backend ort}: black-box only). Closing
 * it frees the native session of ONNX Runtime or libtorch; a command closes it when done.
 */
record LoadedModel(Model model, List<String> classNames, Map<String, String> metadata, String backend) implements AutoCloseable {
    static LoadedModel load(Path file, OnnxOptions flags) {
        if (flags.ort()) return ort(file, flags);
        dev.feint.model.LoadedModel m = flags.mapped(file, () -> Models.load(file, flags.options(file)));
        Map<String, String> md = new LinkedHashMap<>(m.metadata());
        String backend = md.computeIfAbsent("backend", k -> "feint");
        return new LoadedModel(m.model(), m.classNames(), md, backend);
    }

    /** {@code --backend ort}: ONNX Runtime answers the queries of an ONNX file (Models decides that it is one). */
    private static LoadedModel ort(Path file, OnnxOptions flags) {
        String format = flags.mapped(file, () -> Models.format(file));
        if (!format.equals("onnx")) throw new FeintException("--backend ort runs ONNX models (--model file.onnx); " + file + " is not one");
        if (flags.input != null) throw new FeintException(OnnxOptions.INPUT_NOT_TAKEN + file + " records its input shape");
        OrtModel m = OrtModel.load(file, flags.preprocessing(), flags.classNames(), Parallel.threads());
        String b = "ort (ONNX Runtime " + OrtRunner.version() + ")";
        return new LoadedModel(m, m.classNames(), Map.of("format", "onnx", "preprocessing", m.preprocessing().toString(), "backend", b), b);
    }

    @Override public void close() { Models.close(model); }

    /** An error naming the first attack that needs gradients when the model gives none ({@code --backend ort}). */
    static void checkAttacks(Model model, List<Attack> attacks, String flag) {
        if (model instanceof DifferentiableModel) return;
        for (Attack a : attacks)
            if (!AttackRegistry.has(a.name()) || !AttackRegistry.entry(a.name()).blackBox())
                throw new FeintException(flag + " " + a.name() + " needs gradients, which --backend ort does not give (ONNX Runtime only "
                        + "answers queries): use --backend feint (the default), or a black-box attack: "
                        + String.join(", ", AttackRegistry.names(true)));
    }
}
