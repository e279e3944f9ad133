package dev.feint.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import dev.feint.FeintException;
import dev.feint.data.Cifar;
import dev.feint.data.DataReaders;
import dev.feint.data.ExampleSource;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.io.Safetensors;
import dev.feint.nn.Architecture;
import dev.feint.nn.ArchitecturePlan;
import dev.feint.nn.NetworkFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

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

    /** IDX as given (a gzip file when the bytes start with its magic): image header, first images, labels. */
    @FuzzTest(maxDuration = "30s")
    void idx(byte[] data) {
        readIdx(file("x.idx", data));
    }

    /** IDX through gzip: the bytes are compressed first, so the fuzzer explores the IDX structure behind the gzip path. */
    @FuzzTest(maxDuration = "30s")
    void idxGz(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readIdx(file("x.idx.gz", out.toByteArray()));
    }

    private static void readIdx(Path f) {
        parse(() -> readFirst(DataReaders.idxImages(f)));
        parse(() -> DataReaders.idxLabels(f, 10));
    }

    /** CIFAR-10 and CIFAR-100 binary batches: labels checked, the first and last records read. */
    @FuzzTest(maxDuration = "30s")
    void cifar(byte[] data) {
        Path f = file("x.bin", data);
        parse(() -> readFirst(Cifar.cifar10(List.of(f)).images()));
        parse(() -> readFirst(Cifar.cifar100(List.of(f), Cifar.Label.FINE).images()));
    }

    /** One image in a one-class image folder (ImageIO, the declared size checked before decoding). */
    @FuzzTest(maxDuration = "30s")
    void image(byte[] data) {
        Path root = DIR.resolve("images");
        try {
            Files.createDirectories(root.resolve("a"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        file("images/a/x.png", data);
        parse(() -> readFirst(DataReaders.imageFolder(root)));
    }

    /** Reads the first and last examples of a source (a bounded read: at most two examples). */
    private static void readFirst(ExampleSource s) {
        if (s.size() == 0) return;
        int[] idx = s.size() == 1 ? new int[] {0} : new int[] {0, s.size() - 1};
        s.read(idx, new float[idx.length * s.exampleSize()]);
    }
}
