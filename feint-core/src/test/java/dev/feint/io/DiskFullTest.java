package dev.feint.io;

import dev.feint.io.internal.Outputs;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A disk that fills up while writing, for real: a 64 KiB tmpfs mounted for the test. Where this
 * process may not mount (not root, no mount command), the test is skipped; {@code OutputsTest}
 * covers the same path with a simulated "No space left on device".
 */
class DiskFullTest {
    @TempDir Path tmp;
    private Path dir;
    private boolean mounted;

    private static int exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @BeforeEach
    void mountSmallDisk() throws Exception {
        dir = Files.createDirectory(tmp.resolve("small"));
        mounted = exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here; OutputsTest simulates the full disk instead");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) assertEquals(0, exec("umount", dir.toString()), "umount " + dir);
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskLeavesThePreviousOutputsAndSaysSo() throws IOException {
        AtomicFiles.writeString(dir.resolve("a.json"), "old a");
        byte[] big = new byte[200 << 10];
        var e = assertThrows(FeintException.class, () -> {
            try (Outputs out = new Outputs()) {
                out.file(dir.resolve("a.json"), s -> s.write("new a".getBytes()));
                out.folder(dir.resolve("report"), d -> Files.writeString(d.resolve("index.html"), "page"));
                out.file(dir.resolve("adv.npy"), s -> s.write(big));
                out.commit();
            }
        });
        assertEquals(dir.resolve("adv.npy") + ": cannot write (no space left on device)", e.getMessage());
        assertEquals("old a", Files.readString(dir.resolve("a.json")));
        assertEquals(List.of("a.json"), names(dir), "no temporaries, no report, no half-written adv.npy");
    }

    @Test
    void aFileTooLargeForTheDiskLeavesTheOldOne() throws IOException {
        AtomicFiles.writeString(dir.resolve("m.safetensors"), "old weights");
        var e = assertThrows(FeintException.class, () -> AtomicFiles.writeBytes(dir.resolve("m.safetensors"), new byte[100 << 10]));
        assertTrue(e.getMessage().startsWith(dir.resolve("m.safetensors") + ": cannot write (no space left on device"), e.getMessage());
        assertEquals("old weights", Files.readString(dir.resolve("m.safetensors")));
        assertEquals(List.of("m.safetensors"), names(dir));
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }
}
