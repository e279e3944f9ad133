package dev.feint.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model read from a file by {@link Models#load}: the model attacks see, the name reports show
 * (the file name), its class names and the metadata its file carries (for a Feint weights file:
 * architecture, normalisation, dataset, training recipe). Close it when done: a model from another
 * engine (TorchScript through libtorch) holds native memory until then; closing a Feint or ONNX
 * model (pure Java) does nothing.
 *
 * <pre>{@code
 * try (LoadedModel m = Models.load(Path.of("demo/models/fmnist-lenet-pgd.safetensors"))) {
 *     int[] predictions = m.model().predict(images);
 *     String recipe = m.metadata().get("recipe");
 * }
 * }</pre>
 *
 * @param name the name reports show for it (usually the file name)
 * @param model the model, with input gradients
 * @param classNames one name per output, in order
 * @param metadata the file's metadata (empty when it has none)
 */
public record LoadedModel(String name, DifferentiableModel model, List<String> classNames, Map<String, String> metadata)
        implements AutoCloseable {
    /** Checks and copies the fields. */
    public LoadedModel {
        Objects.requireNonNull(model, "model");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a model name is required");
        classNames = List.copyOf(classNames);
        metadata = Map.copyOf(metadata);
        if (classNames.size() != model.numClasses())
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + model.numClasses() + " classes");
    }

    /** Frees the model's native memory, if it holds any ({@link Models#close(Model)}); the model is not to be used after. */
    @Override public void close() { Models.close(model); }
}
