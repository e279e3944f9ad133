package dev.feint.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.io.Safetensors;
import dev.feint.nn.Architecture;
import dev.feint.nn.ArchitecturePlan;
import dev.feint.nn.NetworkFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parsers of files from strangers, under Jazzer. The property: any byte string either
 * parses or throws {@link FeintException} (the user-error exception); any other exception, an
 * {@link OutOfMemoryError} or a per-input timeout is a finding. In a normal build each target
 * replays its checked-in seeds (src/test/resources/dev/feint/fuzz/ParsersFuzzTestInputs/TARGET,
 * valid files and every bad case found so far); {@code scripts/fuzz.sh TARGET SECONDS} fuzzes.
 * A new parser gets a target here: a method taking {@code byte[]} that calls {@link #parse}.
 */
class ParsersFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("feint-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code parser}, allowing only {@link FeintException}. */
    static void parse(Runnable parser) {
        try {
            parser.run();
        } catch (FeintException expected) {
            // a clear user error is the right answer for a bad file
        }
    }

    /** The input as a file (the readers take paths, as users give them). */
    static Path file(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] data) {
        Path f = file("x.safetensors", data);
        parse(() -> Safetensors.read(f));
        parse(() -> NetworkFile.load(f));
    }

    @FuzzTest(maxDuration = "30s")
    void json(byte[] data) {
        parse(() -> Json.parse(new String(data, StandardCharsets.UTF_8), "fuzz"));
    }

    @FuzzTest(maxDuration = "30s")
    void architecture(byte[] data) {
        Path f = file("arch.json", data);
        parse(() -> {
            ArchitecturePlan plan = Architecture.fromMap(Json.read(f), "arch.json").plan();
            // Building is what the plan vouches for: small enough plans are built and must work.
            if (plan.storedFloats() < 1 << 16 && plan.flops() < 1 << 22) Architecture.fromMap(Json.read(f), "arch.json").build(1);
        });
    }

    @FuzzTest(maxDuration = "30s")
    void npy(byte[] data) {
        Path f = file("x.npy", data);
        parse(() -> Npy.read(f));
    }
}
