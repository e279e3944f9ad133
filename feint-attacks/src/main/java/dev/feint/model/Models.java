package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.nn.NetworkFile;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Reads a model file as the model attacks see. Feint weights ({@code .safetensors}, with the
 * architecture, normalisation and class names in their metadata) are read here; other formats
 * come from the {@link ModelFormat}s on the class path: {@code .onnx} with {@code dev.feint:feint-onnx}
 * (default preprocessing: inputs in [0, 1], no mean/std, RGB, NCHW; other preprocessing through
 * {@code dev.feint.onnx.OnnxModel.load}). Files are read within bounds decided from their headers;
 * non-finite weights are refused.
 *
 * <pre>{@code
 * LoadedModel model = Models.load(Path.of("demo/models/fmnist-lenet-pgd.safetensors"));
 * RobustnessResult r = Evaluation.of(model).on(Datasets.open(Path.of("demo/fashion-mnist-1k")), 200)
 *         .attack(Attacks.pgd().eps(0.1).steps(20)).run();
 * }</pre>
 */
public final class Models {
    /** Formats read elsewhere: extension, then what reads them. */
    private static final Map<String, String> ELSEWHERE = Map.of(
            ".onnx", "an .onnx model needs dev.feint:feint-onnx on the class path or module path",
            ".pt", "a TorchScript model carries no input shape: load it with dev.feint.djl.TorchScriptModel.load(file, inputShape, "
                    + "preprocessing, classNames) from dev.feint:feint-djl");

    private Models() {}

    /**
     * Reads the model in {@code file}: a Feint weights file, or a format of a {@link ModelFormat} on the class path.
     *
     * @param file a {@code .safetensors} file written by Feint, or e.g. an {@code .onnx} file
     * @return the model with its name (the file name), class names and metadata
     * @throws FeintException naming the file when it cannot be read, is not a model, or needs a module that is missing
     */
    public static LoadedModel load(Path file) {
        if (file == null) throw new FeintException("model: no file given");
        for (ModelFormat f : ServiceLoader.load(ModelFormat.class, Models.class.getClassLoader()))
            if (f.accepts(file)) return f.load(file);
        String lower = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        for (var e : ELSEWHERE.entrySet())
            if (lower.endsWith(e.getKey()))
                throw new FeintException(file + ": " + e.getValue());
        NetworkFile.Loaded l = NetworkFile.load(file);
        return new LoadedModel(String.valueOf(file.getFileName()), NetworkModel.of(l.network()), l.classNames(), l.metadata());
    }
}
