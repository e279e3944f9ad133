package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.onnx.OnnxModel;
import dev.feint.onnx.OnnxWeightsFile;
import dev.feint.onnx.OrtModel;
import dev.feint.onnx.OrtRunner;
import dev.feint.tensor.Parallel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model given by --model: a Feint weights file, an ONNX file or a TorchScript file, as attacks see it, with its class
 * names, metadata and the backend that answers its queries (feint, or ort for {@code --backend ort}:
 * black-box only).
 */
record LoadedModel(Model model, List<String> classNames, Map<String, String> metadata, String backend) {
    static LoadedModel load(Path file, OnnxOptions onnx) {
        onnx.checkUnused(file);
        if (OnnxOptions.isOnnx(file)) {
            if (onnx.ort()) {
                OrtModel m = OrtModel.load(file, onnx.preprocessing(), onnx.classNames(), Parallel.threads());
                String b = "ort (ONNX Runtime " + OrtRunner.version() + ")";
                return new LoadedModel(m, m.classNames(), meta("onnx", m.preprocessing().toString(), b), b);
            }
            OnnxModel m = OnnxModel.load(file, onnx.preprocessing(), onnx.classNames());
            return new LoadedModel(m, m.classNames(), meta("onnx", m.preprocessing().toString(), "feint"), "feint");
        }
        if (OnnxOptions.isTorchScript(file)) return TorchScriptModels.load(file, onnx);
        Map<String, String> meta = onnxWeights(file);
        if (meta != null) {
            OnnxModel m = OnnxWeightsFile.load(file);
            Map<String, String> md = new LinkedHashMap<>(meta);
            md.put("backend", "feint");
            return new LoadedModel(m, m.classNames(), md, "feint");
        }
        NetworkFile.Loaded l = NetworkFile.load(file, GlobalOptions.allowNonfinite);
        Map<String, String> md = new LinkedHashMap<>(l.metadata());
        md.put("backend", "feint");
        return new LoadedModel(NetworkModel.of(l.network()), l.classNames(), md, "feint");
    }

    private static Map<String, String> meta(String format, String preprocessing, String backend) {
        return Map.of("format", format, "preprocessing", preprocessing, "backend", backend);
    }

    /** An error naming the first attack that needs gradients when the model gives none ({@code --backend ort}). */
    static void checkAttacks(Model model, List<Attack> attacks, String flag) {
        if (model instanceof DifferentiableModel) return;
        for (Attack a : attacks)
            if (!AttackRegistry.has(a.name()) || !AttackRegistry.entry(a.name()).blackBox())
                throw new FeintException(flag + " " + a.name() + " needs gradients, which --backend ort does not give (ONNX Runtime only "
                        + "answers queries): use --backend feint (the default), or a black-box attack: "
                        + String.join(", ", AttackRegistry.names(true)));
    }

    /** The metadata (without the stored graph) of a fine-tuned ONNX model's safetensors file, else null. */
    static Map<String, String> onnxWeights(Path file) {
        if (!java.nio.file.Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".safetensors")) return null;
        try (var r = dev.feint.io.Safetensors.open(file)) {
            if (!OnnxWeightsFile.isOnnxWeights(r.metadata())) return null;
            Map<String, String> m = new java.util.LinkedHashMap<>(r.metadata());
            m.remove("onnx");
            return m;
        }
    }
}
