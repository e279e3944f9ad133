package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static dev.feint.data.IdxTest.assertError;
import static org.junit.jupiter.api.Assertions.*;

/** Datasets read pixels when a batch asks, and decide from headers before allocating (issue 21 (c)). */
class StreamingTest {
    @TempDir Path dir;

    @Test void rawIdxIsReadPerBatchNotAtLoad() throws IOException {
        IdxFiles.writeSplit(dir, "t10k", 20_000, 28, 28, 10, false);
        Dataset d = Datasets.load(dir.toString(), "test");
        Dataset view = d.slice(19_990, 20_000).subset(new int[] {5, 5, 0});
        // change image 19,995's first pixel on disk after loading: a dataset that read it at load would not see it
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("t10k-images-idx3-ubyte").toFile(), "rw")) {
            f.seek(16 + 19_995L * 784);
            f.write(200);
        }
        assertEquals(200 / 255f, view.example(0).get(0, 0, 0, 0));
        assertEquals(200 / 255f, view.batch(new int[] {1}).x().get(0, 0, 0, 0));
        assertEquals(((19_990 + 1) & 0xff) / 255f, view.example(2).get(0, 0, 0, 1), "image 19,990, pixel 1");
        assertArrayEquals(new int[] {0, 1, 2}, view.batch(new int[] {0, 1, 2}).indices(), "a batch's indices are the view's");
        assertEquals(19_995 % 10, view.label(0));
    }

    @Test void countMismatchComesFromTheHeadersBeforeAnyData() {
        // a gzip images file declaring 1,000,000 images but holding 100 bytes, with 5 labels: the counts are compared
        // from the 16- and 8-byte headers, so the message is the mismatch, not "truncated" after decompressing
        Path img = IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"),
                IdxFiles.gzip(IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {1_000_000, 28, 28}, new byte[100])));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {5}, new byte[5]));
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load(dir.toString(), "test"));
        assertTrue(e.getMessage().startsWith(img + " has 1000000 images but"), e.getMessage());
    }

    @Test void gzipDeclaringMoreThanTheHeapAllowsIsRefusedBeforeDecompressing() {
        // 1 GiB of pixels declared (the IDX maximum) in a file of a few bytes: held as bytes it would be 1 GiB
        Path img = IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"),
                IdxFiles.gzip(IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {1 << 20, 32, 32}, new byte[10])));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {1 << 20}, new byte[1 << 20])));
        MemoryBudget.testLimit = 64L << 20;
        try {
            assertError(() -> Datasets.load(dir.toString(), "test"), img,
                    "declares 1073741824 bytes of data to hold in memory, more than a third of this JVM's heap (expected at most 67108864 bytes; "
                            + "gzip data cannot be read in batches from disk: gunzip the file to stream it");
        } finally {
            MemoryBudget.testLimit = -1;
        }
        // within the budget, reading stops where the data does (memory grows with what is really there)
        assertError(() -> Datasets.load(dir.toString(), "test"), img, "truncated: data ends after 26 bytes (decompressed)");
    }

    @Test void wholeImagesOfALargeSetAreRefusedBeforeAllocating() {
        ExampleSource big = new ExampleSource() {
            @Override public int size() { return 3000; }
            @Override public int[] shape() { return new int[] {1, 1024, 1024}; }
            @Override public void read(int[] indices, float[] out) { throw new AssertionError("must not be read"); }
            @Override public String origin() { return "big"; }
        };
        Dataset d = new Dataset("big", big, new int[3000], 1, java.util.List.of("a"));
        FeintException e = assertThrows(FeintException.class, d::images);
        assertTrue(e.getMessage().contains("3000 examples of [1, 1024, 1024] from dataset 'big' are more than one array holds")
                && e.getMessage().contains("read it in batches"), e.getMessage());
        assertEquals(0, d.slice(0, 2).label(1));
    }
}
