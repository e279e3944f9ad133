package dev.feint.cli;

import dev.feint.model.DifferentiableModel;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.onnx.OnnxModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model given by --model: a Feint weights file, an ONNX file or a TorchScript file, as attacks see it, with its class names and metadata. */
record LoadedModel(DifferentiableModel model, List<String> classNames, Map<String, String> metadata) {
    static LoadedModel load(Path file, OnnxOptions onnx) {
        onnx.checkUnused(file);
        if (OnnxOptions.isOnnx(file)) {
            OnnxModel m = OnnxModel.load(file, onnx.preprocessing(), onnx.classNames());
            return new LoadedModel(m, m.classNames(), Map.of("format", "onnx", "preprocessing", m.preprocessing().toString()));
        }
        if (OnnxOptions.isTorchScript(file)) return TorchScriptModels.load(file, onnx);
        NetworkFile.Loaded l = NetworkFile.load(file, GlobalOptions.allowNonfinite);
        return new LoadedModel(NetworkModel.of(l.network()), l.classNames(), l.metadata());
    }
}
