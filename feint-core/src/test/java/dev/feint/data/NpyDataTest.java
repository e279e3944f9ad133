package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.feint.data.IdxTest.assertError;
import static org.junit.jupiter.api.Assertions.*;

class NpyDataTest {
    @TempDir Path dir;

    /** Level of example i, channel c, row y, column x of [N,H,W,C] uint8 data made by TestFiles.u8. */
    private static float nhwc(int i, int c, int y, int x, int h, int w, int ch) { return TestFiles.pixel(i, (y * w + x) * ch + c) / 255f; }

    @Test void uint8NhwcPairDetectedAndTransposed() throws Exception {
        TestFiles.write(dir.resolve("x.npy"), TestFiles.npy("|u1", new int[] {4, 5, 6, 3}, TestFiles.u8(4, 90)));
        TestFiles.write(dir.resolve("y.npy"), TestFiles.npy("<i8", new int[] {4}, TestFiles.i64(3, 0, 2, 1)));
        for (String spec : new String[] {dir.toString(), dir.resolve("x.npy").toString()}) {
            Dataset d = Datasets.load(spec, "test");
            assertArrayEquals(new int[] {3, 5, 6}, d.exampleShape());
            assertArrayEquals(new int[] {3, 0, 2, 1}, d.labels());
            assertEquals(4, d.numClasses(), "max label + 1");
            assertEquals(nhwc(2, 1, 3, 4, 5, 6, 3), d.example(2).get(0, 1, 3, 4));
        }
    }

    @Test void numpyWrittenCompressedNpzReadsTheSame() throws Exception {
        Path npz = dir.resolve("numpy-nhwc.npz");
        try (var in = getClass().getResourceAsStream("/data/numpy-nhwc.npz")) {
            Files.write(npz, in.readAllBytes());
        }
        Dataset d = Datasets.load(npz.toString(), "test");
        assertArrayEquals(new int[] {3, 0, 2, 1}, d.labels());
        for (int i = 0; i < 4; i++)
            assertEquals(nhwc(i, 2, 4, 5, 5, 6, 3), d.example(i).get(0, 2, 4, 5), "numpy's bytes, example " + i);
    }

    @Test void float32NchwAndKerasStyleSplitKeys() {
        float[] v = new float[2 * 1 * 2 * 2];
        for (int i = 0; i < v.length; i++) v[i] = i / 8f;
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("x_train.npy", TestFiles.npy("<f4", new int[] {2, 1, 2, 2}, TestFiles.f32(v)));
        e.put("y_train.npy", TestFiles.npy("|u1", new int[] {2}, new byte[] {1, 0}));
        e.put("x_test.npy", TestFiles.npy("|u1", new int[] {1, 2, 2}, new byte[] {0, 1, 2, (byte) 255}));
        e.put("y_test.npy", TestFiles.npy("<i4", new int[] {1}, new byte[] {1, 0, 0, 0}));
        for (boolean compressed : new boolean[] {false, true}) {
            Path f = TestFiles.npz(dir.resolve("k" + compressed + ".npz"), e, compressed);
            Dataset train = Datasets.load(f.toString(), "train"), test = Datasets.load(f.toString(), "test");
            assertArrayEquals(v, train.images().data());
            assertArrayEquals(new int[] {1, 0}, train.labels());
            assertEquals(1f, test.images().get(0, 0, 1, 1));
        }
    }

    @Test void mismatchedCountsFromHeadersAlone() {
        TestFiles.write(dir.resolve("x.npy"), TestFiles.npy("|u1", new int[] {4, 2, 2}, TestFiles.u8(4, 4)));
        TestFiles.write(dir.resolve("y.npy"), TestFiles.npy("<i8", new int[] {3}, TestFiles.i64(0, 1, 2)));
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load(dir.toString(), "test"));
        assertTrue(e.getMessage().contains("x.npy has 4 images but") && e.getMessage().contains("y.npy has 3 labels (expected the same count)"), e.getMessage());
    }

    @Test void headerDeclaringMoreThanTheFileHolds() {
        Path x = TestFiles.write(dir.resolve("x.npy"), TestFiles.npy("|u1", new int[] {1_000_000, 28, 28}, TestFiles.u8(2, 784)));
        TestFiles.write(dir.resolve("y.npy"), TestFiles.npy("<i8", new int[] {1_000_000}, TestFiles.i64(0, 1)));
        assertError(() -> Datasets.load(dir.toString(), "test"), x, "needs 784000000 (expected exactly 784000000; truncated file?)");
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("x.npy", TestFiles.npy("|u1", new int[] {1_000_000, 28, 28}, new byte[10]));
        e.put("y.npy", TestFiles.npy("<i8", new int[] {1_000_000}, new byte[8]));
        Path z = TestFiles.npz(dir.resolve("liar.npz"), e, true);
        assertError(() -> Datasets.load(z.toString(), "test"), z, "entry is 138 bytes but its header declares 784000128");
    }

    @Test void badValuesLabelsAndLayouts() {
        Path x = TestFiles.write(dir.resolve("a/x.npy"), TestFiles.npy("<f4", new int[] {2, 1, 1, 2}, TestFiles.f32(0, 0.5f, 1, 255)));
        TestFiles.write(dir.resolve("a/y.npy"), TestFiles.npy("<i8", new int[] {2}, TestFiles.i64(0, 1)));
        Dataset d = Datasets.load(dir.resolve("a").toString(), "test");
        assertEquals(0.5f, d.example(0).data()[1]);
        assertError(() -> d.example(1), x, "value 255.0 in example 1 is outside [0, 1] (expected float data scaled to [0, 1], or uint8 0..255)");
        TestFiles.write(dir.resolve("b/x.npy"), TestFiles.npy("|u1", new int[] {2, 1, 1}, new byte[2]));
        Path y = TestFiles.write(dir.resolve("b/y.npy"), TestFiles.npy("<i8", new int[] {2}, TestFiles.i64(0, -1)));
        assertError(() -> Datasets.load(dir.resolve("b").toString(), "test"), y, "label -1 at index 1 is out of range");
        TestFiles.write(dir.resolve("b/classes.txt"), "a\nb\n".getBytes());
        TestFiles.write(dir.resolve("b/y.npy"), TestFiles.npy("<i8", new int[] {2}, TestFiles.i64(0, 2)));
        assertError(() -> Datasets.load(dir.resolve("b").toString(), "test"), dir.resolve("b/x.npy"), "label 2 at index 1 is out of range (expected 0..1 for 2 classes)");
        Path c = TestFiles.write(dir.resolve("c/x.npy"), TestFiles.npy("|u1", new int[] {2, 3, 4, 3}, new byte[72]));
        TestFiles.write(dir.resolve("c/y.npy"), TestFiles.npy("<i8", new int[] {2}, TestFiles.i64(0, 1)));
        assertError(() -> Datasets.load(dir.resolve("c").toString(), "test"), c, "could be NCHW or NHWC");
        Dataset nchw = Datasets.load(new DatasetSpec(dir.resolve("c").toString(), null, null, null, Layout.NCHW, null), "test");
        assertArrayEquals(new int[] {3, 4, 3}, nchw.exampleShape());
        Path f = TestFiles.write(dir.resolve("d/x.npy"), TestFiles.npy("<i8", new int[] {1, 1, 1}, TestFiles.i64(0)));
        TestFiles.write(dir.resolve("d/y.npy"), TestFiles.npy("<i8", new int[] {1}, TestFiles.i64(0)));
        assertError(() -> Datasets.load(dir.resolve("d").toString(), "test"), f, "dtype '<i8' (expected images as uint8 0..255, or float32/float64");
    }
}
