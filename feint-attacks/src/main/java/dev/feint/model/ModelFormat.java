package dev.feint.model;

import java.nio.file.Path;
import java.util.Set;

/**
 * A model file format beyond Feint's own safetensors weights, found by {@link Models#load} through
 * {@link java.util.ServiceLoader}, so a format is there exactly when its module is and the modules
 * below it need not know it: feint-onnx provides {@code onnx} (and {@code onnx-safetensors}, an
 * ONNX model fine-tuned by Feint), feint-djl provides {@code torchscript}. A module lists its
 * implementation in {@code META-INF/services/dev.feint.model.ModelFormat} (class path) and with
 * {@code provides dev.feint.model.ModelFormat with ...} in its {@code module-info.java} (module path).
 *
 * <p>{@link Models} decides which format a file is from its content, for the formats it knows
 * by name ({@code onnx}, {@code onnx-safetensors}, {@code torchscript}: then it asks the provider
 * of that {@link #name()}); a format of one's own says whether it reads a file with
 * {@link #accepts}, asked only for content no known format matches. {@link #options()} lists the
 * {@link ModelOptions} parameters it takes; Models refuses any other given.
 *
 * <pre>{@code
 * public final class MyFormat implements ModelFormat {
 *     public String name() { return "my"; }
 *     public boolean accepts(Path file, byte[] head) { return head.length >= 4 && head[0] == 'M' && head[1] == 'Y'; }
 *     public Set<String> options() { return Set.of(ModelOptions.CLASS_NAMES); }
 *     public LoadedModel load(Path file, ModelOptions options) { return new LoadedModel(file.getFileName().toString(), read(file), names, Map.of()); }
 * }
 * }</pre>
 */
public interface ModelFormat {
    /** {@return the format's short name, e.g. {@code onnx}} */
    String name();

    /**
     * Whether this format reads a file whose content no format known to {@link Models} matches.
     * The formats Models knows by name need not override it.
     *
     * @param file the model file
     * @param head its first bytes (up to 64 KiB; fewer for a shorter file)
     * @return true to have {@link #load} read it; false by default
     */
    default boolean accepts(Path file, byte[] head) { return false; }

    /** {@return the {@link ModelOptions} parameters this format takes (e.g. {@link ModelOptions#PREPROCESSING}); none by default} */
    default Set<String> options() { return Set.of(); }

    /**
     * Reads the model; only the {@link #options()} this format takes are set in {@code options}.
     *
     * @param file the model file
     * @param options what the file does not record (preprocessing, input shape, class names)
     * @return the model, its name, class names and metadata
     * @throws dev.feint.FeintException when the file is unreadable or not a valid model, naming the file
     */
    LoadedModel load(Path file, ModelOptions options);

    /**
     * A human-readable summary of the file ({@code feint info}): inputs, outputs, size, metadata.
     * By default: the model read with default options, its classes and metadata.
     *
     * @param file the model file
     * @return the summary, lines ending in a line separator
     */
    default String describe(Path file) {
        LoadedModel m = load(file, ModelOptions.defaults());
        StringBuilder s = new StringBuilder(String.format("model:        %s%nformat:       %s%nclasses:      %s%n", file, name(),
                String.join(", ", m.classNames())));
        m.metadata().forEach((k, v) -> s.append(String.format("  %-14s %s%n", k, v)));
        return s.toString();
    }
}
