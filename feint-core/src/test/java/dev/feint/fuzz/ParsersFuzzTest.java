package dev.feint.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
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
            // Memory-backed where there is one: the readers take files, and a disk costs most of the time.
            Path shm = Path.of("/dev/shm");
            DIR = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "feint-fuzz")
                    : Files.createTempDirectory("feint-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeFiles() throws IOException {
        try (var s = Files.walk(DIR)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
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
        String text = new String(data, StandardCharsets.UTF_8);
        parse(() -> {
            Architecture a = Architecture.fromMap(Json.parse(text, "arch.json"), "arch.json");
            ArchitecturePlan plan = a.plan();
            // Building is what the plan vouches for: small enough plans are built and must work.
            if (plan.storedFloats() < 1 << 16 && plan.flops() < 1 << 22) a.build(1);
        });
    }

    @FuzzTest(maxDuration = "30s")
    void npy(byte[] data) {
        Path f = file("x.npy", data);
        parse(() -> Npy.read(f));
    }
}
