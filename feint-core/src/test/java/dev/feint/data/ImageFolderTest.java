package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static dev.feint.data.IdxTest.assertError;
import static org.junit.jupiter.api.Assertions.*;

class ImageFolderTest {
    @TempDir Path dir;

    /** An RGB image of h x w with pixel (y, x) = (r, g, b) from the seed. */
    static BufferedImage rgb(int h, int w, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.setRGB(x, y, ((seed + y) & 0xff) << 16 | ((seed + 2 * x) & 0xff) << 8 | ((seed * 3 + x + y) & 0xff));
        return img;
    }

    static BufferedImage gray(int h, int w, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (seed + 5 * y + x) & 0xff);
        return img;
    }

    static Path save(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    @Test void classesBySortedFolderLosslessFormatsExact() throws IOException {
        save(rgb(4, 5, 10), "png", dir.resolve("b-dog/2.png"));
        save(rgb(4, 5, 20), "bmp", dir.resolve("b-dog/1.bmp"));
        save(rgb(4, 5, 30), "png", dir.resolve("a-cat/x/0.png")); // nested folders count, as torchvision's
        Files.writeString(dir.resolve("b-dog/notes.txt"), "not an image");
        Files.writeString(dir.resolve("a-cat/.hidden.png"), "skipped");
        Dataset d = Datasets.load(dir.toString(), "test");
        assertEquals(List.of("a-cat", "b-dog"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());
        assertArrayEquals(new int[] {3, 4, 5}, d.exampleShape());
        Tensor bmp = d.example(1);
        assertEquals(((20 + 3) & 0xff) / 255f, bmp.get(0, 0, 3, 2), "red of (3, 2)");
        assertEquals(((20 + 4) & 0xff) / 255f, bmp.get(0, 1, 3, 2), "green");
        assertEquals(((60 + 5) & 0xff) / 255f, bmp.get(0, 2, 3, 2), "blue");
        assertEquals(((30 + 2 * 4) & 0xff) / 255f, d.example(0).get(0, 1, 0, 4));
    }

    @Test void grayPngJpegGifAndChannelsOfTheFirstImage() throws IOException {
        save(gray(6, 6, 3), "png", dir.resolve("k/0.png"));
        save(rgb(6, 6, 9), "jpg", dir.resolve("k/1.jpg"));
        save(rgb(6, 6, 9), "gif", dir.resolve("k/2.gif"));
        Dataset d = Datasets.load(dir.toString(), "test");
        assertArrayEquals(new int[] {1, 6, 6}, d.exampleShape(), "the first image is grayscale");
        assertEquals(((3 + 5 * 2 + 4) & 0xff) / 255f, d.example(0).get(0, 0, 2, 4), "gray levels exactly");
        Tensor b = d.batch(new int[] {1, 2}).x();
        for (float v : b.data()) assertTrue(v >= 0 && v <= 1);
    }

    @Test void classesFileMapsFoldersToAModelsOutputs() throws IOException {
        save(rgb(2, 2, 1), "png", dir.resolve("img/dog/a.png"));
        save(rgb(2, 2, 1), "png", dir.resolve("img/cat/a.png"));
        Path names = Files.writeString(dir.resolve("classes.txt"), "plane\ndog\nbird\ncat\n");
        Dataset d = Datasets.load(new DatasetSpec(dir.resolve("img").toString(), null, null, names, null, null), "test");
        assertEquals(4, d.numClasses());
        assertArrayEquals(new int[] {3, 1}, d.labels(), "cat = 3, dog = 1");
        Path few = Files.writeString(dir.resolve("few.txt"), "dog\n");
        assertError(() -> Datasets.load(new DatasetSpec(dir.resolve("img").toString(), null, null, few, null, null), "test"),
                dir.resolve("img/cat"), "class folder 'cat' is not among the 1 class names given");
    }

    @Test void trainAndTestSubfolders() throws IOException {
        save(rgb(3, 3, 1), "png", dir.resolve("train/a/0.png"));
        save(rgb(3, 3, 1), "png", dir.resolve("train/b/0.png"));
        save(rgb(3, 3, 1), "png", dir.resolve("val/a/0.png"));
        assertEquals(2, Datasets.load(dir.toString(), "train").size());
        assertEquals(1, Datasets.load(dir.toString(), "test").size(), "val/ serves as the test split");
    }

    @Test void badFolders() throws IOException {
        Files.createDirectories(dir.resolve("e/empty"));
        save(rgb(3, 3, 1), "png", dir.resolve("e/full/0.png"));
        assertError(() -> Datasets.load(new DatasetSpec(dir.resolve("e").toString(), DatasetSpec.Format.IMAGES, null, null, null, null), "test"),
                dir.resolve("e/empty"), "class folder with no images (expected files ending in [");
        Files.createDirectories(dir.resolve("none"));
        assertError(() -> Datasets.load(new DatasetSpec(dir.resolve("none").toString(), DatasetSpec.Format.IMAGES, null, null, null, null), "test"),
                dir.resolve("none"), "no class folders");
        save(rgb(3, 3, 1), "png", dir.resolve("s/a/0.png"));
        Path odd = save(rgb(4, 3, 1), "png", dir.resolve("s/a/1.png"));
        Dataset s = Datasets.load(dir.resolve("s").toString(), "test");
        assertError(() -> s.example(1), odd, "4x3 pixels (expected 3x3 as the folder's first image; images of different sizes need preprocessing)");
        Path bad = Files.write(dir.resolve("s/a/2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Dataset s2 = Datasets.load(dir.resolve("s").toString(), "test");
        assertError(() -> s2.example(2), bad, "cannot decode (");
    }

    @Test void skipBadLeavesOutAndCountsImagesThatDoNotDecode() throws IOException {
        for (int i = 0; i < 4; i++) save(rgb(5, 5, i), "png", dir.resolve("k/" + (char) ('a' + i) + "/" + i + ".png"));
        byte[] png = Files.readAllBytes(dir.resolve("k/b/1.png"));
        Path truncated = Files.write(dir.resolve("k/b/0-truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Path text = Files.writeString(dir.resolve("k/c/0-notes.jpg"), "not an image, whatever the name says");
        Files.writeString(dir.resolve("k/c/readme.txt"), "ignored: not an image suffix");
        save(rgb(6, 5, 9), "png", dir.resolve("k/d/9-odd.png"));
        Dataset stop = Datasets.load(dir.resolve("k").toString(), "test");
        assertEquals(7, stop.size(), "without --skip-bad every image file is listed");
        assertError(() -> stop.example(1), truncated, "cannot decode (");
        Dataset d = Datasets.load(DatasetSpec.of(dir.resolve("k").toString()).withSkipBad(true), "test");
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.labels(), "one good image per class kept");
        SkippedFiles sk = d.source().skipped();
        assertEquals(3, sk.count());
        assertTrue(sk.first().get(0).startsWith(truncated + ": cannot decode ("), sk.first().toString());
        assertTrue(sk.first().get(1).startsWith(text + ": "), sk.first().toString());
        assertTrue(sk.first().get(2).contains("9-odd.png: 6x5 pixels (expected 5x5"), sk.first().toString());
        assertEquals(((2 + 4) & 0xff) / 255f, d.example(2).get(0, 0, 4, 3), "the kept images' pixels, in order");
        assertEquals(3, ((java.util.Map<?, ?>) d.describe().get("skipped")).get("count"));
        save(rgb(5, 5, 1), "png", dir.resolve("g/x/0.png"));
        assertNull(Datasets.load(DatasetSpec.of(dir.resolve("g").toString()).withSkipBad(true), "test").describe().get("skipped"),
                "nothing skipped, nothing reported");
    }

    @Test void decompressionBombRefusedFromTheDeclaredSize() throws IOException {
        // a 1x1 PNG whose IHDR is rewritten to declare 100,000 x 100,000 pixels (with a valid CRC)
        Path f = save(gray(1, 1, 0), "png", dir.resolve("bomb/a/big.png"));
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // "IHDR" and its 13 bytes
        bb.putInt(29, (int) crc.getValue());
        Files.write(f, b);
        assertError(() -> Datasets.load(dir.resolve("bomb").toString(), "test"), f,
                "declares 100000 x 100000 pixels (expected at least 1 and at most " + ImageFiles.maxPixels() + " pixels; refused before decoding");
        // a smaller heap lowers the bound, and the message says so
        MemoryBudget.testLimit = 28L << 20;
        try {
            assertError(() -> Datasets.load(dir.resolve("bomb").toString(), "test"), f, "a larger heap (FEINT_HEAP) allows up to 33554432");
        } finally {
            MemoryBudget.testLimit = -1;
        }
    }

    @Test void jpegBombRefusedFromTheDeclaredSize() throws IOException {
        // a 8x8 JPEG whose SOF0 frame header is rewritten to declare 60,000 x 60,000 pixels (the JPEG reader itself refuses past 65,500)
        Path f = save(rgb(8, 8, 3), "jpg", dir.resolve("jbomb/a/big.jpg"));
        byte[] b = Files.readAllBytes(f);
        int sof = -1;
        for (int i = 2; i + 8 < b.length && sof < 0; i++) if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) sof = i;
        assertTrue(sof > 0, "a baseline JPEG has a SOF0 marker");
        ByteBuffer.wrap(b).putShort(sof + 5, (short) 60_000).putShort(sof + 7, (short) 60_000);  // height, width
        Files.write(f, b);
        assertError(() -> Datasets.load(dir.resolve("jbomb").toString(), "test"), f,
                "declares 60000 x 60000 pixels (expected at least 1 and at most " + ImageFiles.maxPixels() + " pixels; refused before decoding");
    }

    @Test void fitResizesCropsAndConvertsEveryImage() throws IOException {
        save(rgb(40, 60, 1), "png", dir.resolve("a/0.png"));
        save(gray(90, 30, 2), "png", dir.resolve("a/1.png"));
        Dataset d = Datasets.load(DatasetSpec.of(dir.toString()).withPreprocessing(Preprocessing.fit(new int[] {1, 28, 28})), "test");
        assertArrayEquals(new int[] {1, 28, 28}, d.exampleShape());
        assertEquals(2, d.batch(new int[] {0, 1}).x().dim(0));
        assertEquals(28, ((Number) ((java.util.Map<?, ?>) d.describe().get("preprocessing")).get("resizeShorterSide")).intValue());
    }

    @Test void webpAndTiffThroughTheTwelveMonkeysPlugins() throws IOException {
        Path webp = dir.resolve("w/a/0.webp");
        Files.createDirectories(webp.getParent());
        try (var in = getClass().getResourceAsStream("/data/rgb-3x4.webp")) { // lossless, written by PIL from rgb(3, 4, 10)
            Files.write(webp, in.readAllBytes());
        }
        save(rgb(3, 4, 10), "tiff", dir.resolve("w/b/0.tif"));
        Dataset d = Datasets.load(dir.resolve("w").toString(), "test");
        float[] want = d.example(1).data();
        assertArrayEquals(want, d.example(0).data(), "the WebP holds the TIFF's pixels");
        assertEquals(((10 + 2) & 0xff) / 255f, want[2 * 4 + 3], "red of (2, 3)");
    }
}
