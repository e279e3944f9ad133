package dev.feint.spark;

import dev.feint.model.Model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** A task's model, loaded from a local copy of the broadcast file bytes under the file's own name (so any format Feint reads loads). */
final class ModelCopy {
    private ModelCopy() {}

    /** Writes {@code bytes} to a temporary file named {@code name}, loads it with {@code loader}, and removes it. */
    static Model load(byte[] bytes, String name, Function<Path, Model> loader) {
        try {
            Path dir = Files.createTempDirectory("feint-task-");
            Path f = dir.resolve(name);
            try {
                Files.write(f, bytes);
                return loader.apply(f);
            } finally {
                Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model's local copy", e);
        }
    }
}
