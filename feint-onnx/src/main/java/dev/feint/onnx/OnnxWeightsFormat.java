package dev.feint.onnx;

import dev.feint.io.Safetensors;
import dev.feint.model.LoadedModel;
import dev.feint.model.ModelFormat;
import dev.feint.model.ModelOptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ONNX model fine-tuned by Feint ({@code feint train --init model.onnx}), saved as safetensors
 * by {@link OnnxWeightsFile}, for {@link dev.feint.model.Models#load}: the file carries its graph,
 * preprocessing and class names, so it takes no options. Its metadata (without the stored graph)
 * comes with it. Found through ServiceLoader.
 *
 * <pre>{@code
 * LoadedModel tuned = Models.load(Path.of("tuned.safetensors"));
 * }</pre>
 */
public final class OnnxWeightsFormat implements ModelFormat {
    /** Made by {@link java.util.ServiceLoader}. */
    public OnnxWeightsFormat() {}

    @Override public String name() { return "onnx-safetensors"; }

    @Override public LoadedModel load(Path file, ModelOptions options) {
        OnnxModel m = OnnxWeightsFile.load(file);
        return new LoadedModel(String.valueOf(file.getFileName()), m, m.classNames(), metadata(file));
    }

    /** The file's metadata without the stored graph. */
    static Map<String, String> metadata(Path file) {
        try (var r = Safetensors.open(file)) {
            Map<String, String> m = new LinkedHashMap<>(r.metadata());
            m.remove("onnx");
            return m;
        }
    }
}
