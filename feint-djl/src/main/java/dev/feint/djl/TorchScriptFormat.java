package dev.feint.djl;

import dev.feint.model.LoadedModel;
import dev.feint.model.ModelFormat;
import dev.feint.model.ModelLoadException;
import dev.feint.model.ModelOptions;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * TorchScript files ({@code torch.jit.trace} / {@code torch.jit.script} output) for
 * {@link dev.feint.model.Models#load}, through {@link TorchScriptModel}: a differentiable model
 * with input gradients from libtorch. TorchScript does not record the input shape, so
 * {@link ModelOptions#inputShape(int, int, int)} is required; preprocessing and class names are
 * optional. Found through ServiceLoader; DJL's classes load only when a file is read.
 *
 * <pre>{@code
 * LoadedModel m = Models.load(Path.of("lenet.pt"), ModelOptions.defaults().inputShape(1, 28, 28));
 * }</pre>
 */
public final class TorchScriptFormat implements ModelFormat {
    /** Made by {@link java.util.ServiceLoader}. */
    public TorchScriptFormat() {}

    @Override public String name() { return "torchscript"; }

    @Override public Set<String> options() { return Set.of(ModelOptions.PREPROCESSING, ModelOptions.INPUT_SHAPE, ModelOptions.CLASS_NAMES); }

    @Override public LoadedModel load(Path file, ModelOptions options) {
        int[] shape = options.inputShape();
        if (shape == null) throw ModelLoadException.missing(file, name(), ModelOptions.INPUT_SHAPE, "TorchScript does not record its input shape");
        TorchScriptModel m = TorchScriptModel.load(file, shape, options.preprocessing(), options.classNames());
        return new LoadedModel(String.valueOf(file.getFileName()), m, m.classNames(), Map.of("format", "torchscript",
                "preprocessing", options.preprocessing().toString(), "backend", "djl (libtorch)"));
    }

    @Override public String describe(Path file) { return TorchScriptSummary.of(file); }
}
