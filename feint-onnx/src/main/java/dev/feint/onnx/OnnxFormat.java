package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.model.LoadedModel;
import dev.feint.model.ModelFormat;
import dev.feint.model.ModelOptions;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * ONNX files for {@link dev.feint.model.Models#load}, imported into Feint's graph (every attack
 * runs on them), with the options' {@link InputPreprocessing} (default: inputs in [0, 1], no
 * mean/std, RGB, NCHW) and class names (default "0", "1", ...). Found through ServiceLoader.
 *
 * <pre>{@code
 * LoadedModel m = Models.load(Path.of("model.onnx"), ModelOptions.defaults().preprocessing(pre));
 * }</pre>
 */
public final class OnnxFormat implements ModelFormat {
    /** Made by {@link java.util.ServiceLoader}. */
    public OnnxFormat() {}

    @Override public String name() { return "onnx"; }

    @Override public Set<String> options() { return Set.of(ModelOptions.PREPROCESSING, ModelOptions.CLASS_NAMES); }

    @Override public LoadedModel load(Path file, ModelOptions options) {
        OnnxModel m = OnnxModel.load(file, options.preprocessing(), options.classNames());
        return new LoadedModel(String.valueOf(file.getFileName()), m, m.classNames(),
                Map.of("format", "onnx", "preprocessing", m.preprocessing().toString()));
    }

    @Override public String describe(Path file) { return OnnxSummary.of(file.toString(), OnnxImport.load(file)); }
}
