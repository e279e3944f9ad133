package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path dir;

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 255, 9, 10, 11, 12};

    @Test void readsRawAndGzipTheSame() {
        byte[] raw = IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {2, 2, 3}, PIXELS);
        for (boolean gz : new boolean[] {false, true}) {
            // named without .gz on purpose: detection is by magic, not by name
            Path f = IdxFiles.write(dir.resolve("img" + gz), gz ? IdxFiles.gzip(raw) : raw);
            Idx.Images im = Idx.readImages(f);
            assertEquals(2, im.count());
            assertEquals(2, im.rows());
            assertEquals(3, im.cols());
            assertArrayEquals(PIXELS, im.pixels());
        }
        Path labels = IdxFiles.write(dir.resolve("lab.gz"), IdxFiles.gzip(IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {9, 0, 4})));
        assertArrayEquals(new int[] {9, 0, 4}, Idx.readLabels(labels, 10));
    }

    @Test void largeGzipReadsAcrossBufferGrowth() {
        byte[] px = new byte[3_000_000];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
        Path f = IdxFiles.write(dir.resolve("big.gz"), IdxFiles.gzip(IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {3000, 1000, 1}, px)));
        assertArrayEquals(px, Idx.readImages(f).pixels());
    }

    @Test void truncatedRawNamesByteCounts() {
        byte[] raw = IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {2, 2, 3}, PIXELS);
        Path f = IdxFiles.write(dir.resolve("t"), Arrays.copyOf(raw, raw.length - 5));
        assertError(() -> Idx.readImages(f), f, "truncated: 23 bytes, but its header 2 x 2 x 3 needs 28 (expected exactly 28 bytes)");
        Path g = IdxFiles.write(dir.resolve("t2"), Arrays.copyOf(raw, raw.length + 1));
        assertError(() -> Idx.readImages(g), g, "has trailing data: 29 bytes");
        Path h = IdxFiles.write(dir.resolve("t3"), Arrays.copyOf(raw, 9));
        assertError(() -> Idx.readImages(h), h, "truncated header: 9 bytes (expected 16)");
    }

    @Test void truncatedGzipNamesByteCounts() {
        byte[] raw = IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {2, 2, 3}, PIXELS);
        Path f = IdxFiles.write(dir.resolve("t.gz"), IdxFiles.gzip(Arrays.copyOf(raw, raw.length - 5)));
        assertError(() -> Idx.readImages(f), f, "truncated: data ends after 23 bytes (decompressed), but the header needs 28");
        Path g = IdxFiles.write(dir.resolve("t2.gz"), IdxFiles.gzip(Arrays.copyOf(raw, raw.length + 3)));
        assertError(() -> Idx.readImages(g), g, "has trailing data after the 28 bytes");
        byte[] gz = IdxFiles.gzip(raw);
        Path h = IdxFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertError(() -> Idx.readImages(h), h, "corrupt gzip data");
    }

    @Test void wrongMagic() {
        Path f = IdxFiles.write(dir.resolve("labels-as-images"), IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {3}, new byte[3]));
        assertError(() -> Idx.readImages(f), f, "not an IDX image file: magic 0x00000801 (expected 0x00000803)");
        Path g = IdxFiles.write(dir.resolve("empty"), new byte[0]);
        assertError(() -> Idx.readLabels(g, 10), g, "magic missing (file has 0 bytes)");
    }

    @Test void hugeDeclaredSizeFailsBeforeAllocating() {
        // 2^31 images of 28x28, in a tiny file: must not try to allocate 1.6 TB
        Path f = IdxFiles.write(dir.resolve("liar"), IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {Integer.MIN_VALUE, 28, 28}, new byte[10]));
        assertError(() -> Idx.readImages(f), f, "header declares dimensions 2147483648 x 28 x 28 = more than 1073741824 bytes");
        Path g = IdxFiles.write(dir.resolve("liar.gz"), IdxFiles.gzip(IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {-1}, new byte[10])));
        assertError(() -> Idx.readLabels(g, 10), g, "4294967295 = more than");
        // within the limit but far more than present: gz reading must stop at the real data
        Path h = IdxFiles.write(dir.resolve("liar2.gz"), IdxFiles.gzip(IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {1_000_000, 28, 28}, new byte[100])));
        assertError(() -> Idx.readImages(h), h, "truncated: data ends after 116 bytes");
    }

    @Test void zeroPixelImagesAreRefusedFromTheHeader() {
        // Found by fuzzing (idxGz): 6 million images of 0 x 4210688 pixels divided by zero when counted.
        for (boolean gz : new boolean[] {false, true}) {
            byte[] raw = IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {0x604000, 0, 0x404000}, new byte[0]);
            Path f = IdxFiles.write(dir.resolve("zero" + gz), gz ? IdxFiles.gzip(raw) : raw);
            assertError(() -> Idx.images(Idx.header(f, Idx.IMAGES_MAGIC)), f, "header declares images of 0 x 4210688 pixels (expected at least 1 x 1");
            // Found next: no images at all, but each of 2^28 x 4210688 pixels (an int overflow to 0 per image).
            byte[] none = IdxFiles.bytes(Idx.IMAGES_MAGIC, new int[] {0, 1 << 28, 0x404000}, new byte[0]);
            Path g = IdxFiles.write(dir.resolve("none" + gz), gz ? IdxFiles.gzip(none) : none);
            assertError(() -> Idx.images(Idx.header(g, Idx.IMAGES_MAGIC)), g,
                    "header declares images of 268435456 x 4210688 pixels (expected at least 1 x 1 and at most 1073741824 pixels)");
        }
    }

    @Test void labelOutOfRange() {
        Path f = IdxFiles.write(dir.resolve("lab"), IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {1, 10, 2}));
        assertError(() -> Idx.readLabels(f, 10), f, "label 10 at index 1 is out of range (expected 0..9 for 10 classes)");
    }

    @Test void missingFile() {
        Path f = dir.resolve("none");
        assertError(() -> Idx.readImages(f), f, "no such file");
    }

    static void assertError(Runnable r, Path file, String fragment) {
        FeintException e = assertThrows(FeintException.class, r::run);
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(fragment),
                () -> "expected '" + fragment + "' in: " + e.getMessage());
    }
}
