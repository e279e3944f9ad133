package dev.feint.onnx;

import dev.feint.model.LoadedModel;
import dev.feint.model.ModelFormat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code .onnx} files for {@link dev.feint.model.Models#load}, with {@link Preprocessing#DEFAULT}
 * (inputs in [0, 1], no mean/std, RGB, NCHW) and class names "0", "1", ...; other preprocessing
 * through {@link OnnxModel#load} directly.
 *
 * <pre>{@code
 * LoadedModel m = Models.load(Path.of("model.onnx"));   // found through ServiceLoader
 * }</pre>
 */
public final class OnnxFormat implements ModelFormat {
    /** Made by {@link java.util.ServiceLoader}. */
    public OnnxFormat() {}

    @Override public String name() { return "onnx"; }

    @Override public boolean accepts(Path file) {
        return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override public LoadedModel load(Path file) {
        OnnxModel m = OnnxModel.load(file, Preprocessing.DEFAULT, null);
        return new LoadedModel(String.valueOf(file.getFileName()), m, m.classNames(),
                Map.of("format", "onnx", "preprocessing", m.preprocessing().toString()));
    }
}
