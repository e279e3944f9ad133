package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process stopped (SIGTERM, as SIGINT from a terminal) half-way through a write leaves the old file and no temporary. */
class InterruptedWriteTest {
    @TempDir Path dir;

    /** The child: writes half a file through AtomicFiles, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write(new byte[1 << 20]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aKilledWriterLeavesNoTemporary() throws Exception {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "previous");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", childClassPath(), InterruptedWriteTest.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            assertEquals("writing", in.readLine());
            assertEquals(2, names().size(), "the temporary exists while writing: " + names());
            p.destroy(); // SIGTERM: shutdown hooks run, as for Ctrl-C
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals("previous", Files.readString(target));
        assertEquals(List.of("model.safetensors"), names());
    }

    /**
     * The child's class path: the test's module path and class path (surefire runs the tests patched into
     * dev.feint.core on the module path), and the folder of this test's classes.
     */
    static String childClassPath() throws Exception {
        Path self = Path.of(InterruptedWriteTest.class.getResource("InterruptedWriteTest.class").toURI());
        Path testClasses = self.getParent().getParent().getParent().getParent();
        return String.join(java.io.File.pathSeparator, testClasses.toString(), System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""));
    }

    private List<String> names() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(q -> q.getFileName().toString()).sorted().toList();
        }
    }
}
