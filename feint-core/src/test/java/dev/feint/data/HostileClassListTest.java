package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileClassListTest {
    @TempDir Path dir;

    @Test
    void aHugeClassListIsRefusedFromItsSize() throws Exception {
        IdxFiles.writeSplit(dir, "t10k", 4, 5, 5, 3, false);
        Path classes = dir.resolve("classes.txt");
        try (RandomAccessFile raf = new RandomAccessFile(classes.toFile(), "rw")) {
            raf.setLength(3L << 30); // sparse 3 GB: read whole, it ran the JVM out of memory
        }
        var e = assertThrows(FeintException.class, () -> Datasets.load(dir.toString(), "test"));
        assertEquals(classes + ": is over 3221225472 bytes (expected a list of class names of at most 1048576 bytes)",
                e.getMessage());
        assertTrue(Allocations.of(() -> Datasets.load(dir.toString(), "test")) < 16 << 20);
    }
}
