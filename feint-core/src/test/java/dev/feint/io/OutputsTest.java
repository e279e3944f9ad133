package dev.feint.io;

import dev.feint.io.internal.Outputs;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputsTest {
    @TempDir Path dir;

    private void previous() throws IOException {
        AtomicFiles.writeString(dir.resolve("a.json"), "old a");
        AtomicFiles.writeString(dir.resolve("report/index.html"), "old page");
    }

    private void assertPreviousIntact() throws IOException {
        assertEquals("old a", Files.readString(dir.resolve("a.json")));
        assertEquals("old page", Files.readString(dir.resolve("report/index.html")));
        assertFalse(Files.exists(dir.resolve("b.md")));
        assertEquals(List.of("a.json", "report"), names(dir), "no temporaries or backups left");
        assertEquals(List.of("index.html"), names(dir.resolve("report")));
    }

    @Test
    void allOutputsReplaceThePreviousOnesTogether() throws IOException {
        previous();
        try (Outputs out = new Outputs()) {
            out.file(dir.resolve("a.json"), s -> s.write("new a".getBytes()));
            out.folder(dir.resolve("report"), d -> Files.writeString(d.resolve("index.html"), "new page"));
            out.file(dir.resolve("b.md"), s -> s.write("new b".getBytes()));
            assertEquals("old a", Files.readString(dir.resolve("a.json")), "nothing moves before the commit");
            out.commit();
        }
        assertEquals("new a", Files.readString(dir.resolve("a.json")));
        assertEquals("new b", Files.readString(dir.resolve("b.md")));
        assertEquals("new page", Files.readString(dir.resolve("report/index.html")));
        assertEquals(List.of("a.json", "b.md", "report"), names(dir));
    }

    @Test
    void aFailureHalfWayThroughWritingLeavesEverythingAsItWas() throws IOException {
        previous();
        var e = assertThrows(FeintException.class, () -> {
            try (Outputs out = new Outputs()) {
                out.file(dir.resolve("a.json"), s -> s.write("new a".getBytes()));
                out.folder(dir.resolve("report"), d -> Files.writeString(d.resolve("index.html"), "new page"));
                out.file(dir.resolve("b.md"), s -> {
                    s.write("half of b".getBytes());
                    throw new IOException("No space left on device");
                });
                out.commit();
            }
        });
        assertEquals(dir.resolve("b.md") + ": cannot write (no space left on device)", e.getMessage());
        assertPreviousIntact();
    }

    @Test
    void aFailedMoveRestoresTheOutputsAlreadyMoved() throws IOException {
        previous();
        Path blocker = dir.resolve("b.md");
        var e = assertThrows(FeintException.class, () -> {
            try (Outputs out = new Outputs()) {
                out.file(dir.resolve("a.json"), s -> s.write("new a".getBytes()));
                out.folder(dir.resolve("report"), d -> Files.writeString(d.resolve("index.html"), "new page"));
                out.file(blocker, s -> s.write("new b".getBytes()));
                // Something takes the last output's place after the work: a non-empty folder a file cannot replace.
                Files.createDirectories(blocker.resolve("x"));
                out.commit();
            }
        });
        assertEquals(blocker + ": cannot write (a directory is in the way)", e.getMessage());
        Files.delete(blocker.resolve("x"));
        Files.delete(blocker);
        assertPreviousIntact();
    }

    @Test
    void aFolderHoldingOtherFilesIsNeverReplaced() throws IOException {
        AtomicFiles.writeString(dir.resolve("mine/thesis.tex"), "years of work");
        var e = assertThrows(FeintException.class, () -> {
            try (Outputs out = new Outputs()) {
                out.folder(dir.resolve("mine"), d -> Files.writeString(d.resolve("index.html"), "page"));
                out.commit();
            }
        });
        assertEquals(dir.resolve("mine") + ": holds 'thesis.tex', which this output would delete (expected an empty folder or a previous "
                + "one of the same kind)", e.getMessage());
        assertEquals("years of work", Files.readString(dir.resolve("mine/thesis.tex")));
        assertEquals(List.of("mine"), names(dir));
    }

    @Test
    void destinationsAreCheckedBeforeTheWork() throws IOException {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        assertEquals(file.resolve("out.json") + ": cannot write (" + file + " is not a directory)",
                assertThrows(FeintException.class, () -> Outputs.check(dir.resolve("ok.json"), null, file.resolve("out.json"))).getMessage());
        assertEquals(dir + ": is a directory (expected a file path to write)",
                assertThrows(FeintException.class, () -> Outputs.checkFile(dir)).getMessage());
        Outputs.check(dir.resolve("new/sub/out.json"));
        assertFalse(Files.exists(dir.resolve("new")), "checking creates nothing");
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
