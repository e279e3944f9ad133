package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test void createsParentsAndReplaces() throws IOException {
        Path f = dir.resolve("a/b/c.txt");
        AtomicFiles.writeString(f, "one");
        assertEquals("one", Files.readString(f));
        AtomicFiles.write(f, out -> {
            out.write("two".getBytes());
            out.close(); // closing inside the body is allowed
        });
        assertEquals("two", Files.readString(f));
        assertEquals(1, count(f.getParent()), "no temporary left behind");
    }

    @Test void failureKeepsOldContentAndRemovesTemp() throws IOException {
        Path f = dir.resolve("x.bin");
        AtomicFiles.writeString(f, "old");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(1, count(dir));
        assertThrows(FeintException.class, () -> AtomicFiles.write(f, out -> { throw new IOException("disk full"); }));
        assertEquals("old", Files.readString(f));
        assertEquals(1, count(dir));
    }

    @Test void directoryTargetIsAClearError() {
        FeintException e = assertThrows(FeintException.class, () -> AtomicFiles.writeString(dir, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
