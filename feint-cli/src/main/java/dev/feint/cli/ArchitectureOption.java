package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.nn.Architecture;
import dev.feint.nn.Presets;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves --arch: a preset name, or a JSON architecture file. */
final class ArchitectureOption {
    private ArchitectureOption() {}

    static Architecture resolve(String arch, int[] exampleShape, int classes) {
        if (Presets.has(arch))
            return Presets.get(arch, exampleShape[0], exampleShape[1], exampleShape[2], classes);
        Path p = Path.of(arch);
        if (arch.endsWith(".json") || Files.isRegularFile(p)) {
            if (!Files.isRegularFile(p)) throw new FeintException("--arch: file not found: " + arch);
            Architecture a = Architecture.fromMap(Json.read(p), arch);
            try {
                a.plan(); // shapes and cost by arithmetic, before anything is built
            } catch (FeintException e) {
                throw FeintException.within("--arch " + arch + ": ", e);
            }
            if (!java.util.Arrays.equals(a.input(), exampleShape))
                throw new FeintException("--arch " + arch + ": input " + java.util.Arrays.toString(a.input())
                        + " does not match the data's " + java.util.Arrays.toString(exampleShape));
            return a;
        }
        throw new FeintException("--arch: unknown architecture '" + arch + "' (expected one of "
                + String.join(", ", Presets.NAMES) + ", preact-resnet18-wN, or a JSON spec file)");
    }
}
