package dev.feint.model;

import java.nio.file.Path;

/**
 * A model file format beyond Feint's own safetensors weights, found by {@link Models#load} through
 * {@link java.util.ServiceLoader}: a module that reads a format (feint-onnx reads {@code .onnx})
 * lists its implementation in {@code META-INF/services/dev.feint.model.ModelFormat}, so the
 * format is there exactly when its module is on the class path and modules below it need not
 * know it.
 *
 * <pre>{@code
 * public final class MyFormat implements ModelFormat {
 *     public String name() { return "my"; }
 *     public boolean accepts(Path file) { return file.toString().endsWith(".my"); }
 *     public LoadedModel load(Path file) { return new LoadedModel(file.getFileName().toString(), read(file), names, Map.of()); }
 * }
 * }</pre>
 */
public interface ModelFormat {
    /** {@return the format's short name, e.g. {@code onnx}} */
    String name();

    /**
     * Whether this format reads {@code file} (by its name; the content is checked by {@link #load}).
     *
     * @param file the model file
     * @return true to have {@link #load} read it
     */
    boolean accepts(Path file);

    /**
     * Reads the model with its default options.
     *
     * @param file the model file
     * @return the model, its name, class names and metadata
     * @throws dev.feint.FeintException when the file is unreadable or not a valid model, naming the file
     */
    LoadedModel load(Path file);
}
