package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    @TempDir Path dir;

    @Test void loadsDirectorySpecRawAndGz() {
        IdxFiles.writeSplit(dir.resolve("d"), "train", 20, 3, 2, 10, false);
        IdxFiles.writeSplit(dir.resolve("d"), "t10k", 7, 3, 2, 10, true);
        Dataset train = Datasets.load(dir.resolve("d").toString(), "train");
        Dataset test = Datasets.load(dir.resolve("d").toString(), "test");
        assertEquals("d", train.name());
        assertArrayEquals(new int[] {20, 1, 3, 2}, train.images().dims());
        assertArrayEquals(new int[] {7, 1, 3, 2}, test.images().dims());
        assertEquals(Datasets.DIGITS, train.classNames());
        assertEquals(5 / 255f, train.images().get(4, 0, 0, 1), "pixel / 255");
        assertEquals(6, test.label(6));
    }

    @Test void classNamesFromClassesTxtOrKnownDirectoryName() throws IOException {
        Path d = dir.resolve("fashion-mnist");
        IdxFiles.writeSplit(d, "t10k", 4, 2, 2, 10, false);
        assertEquals(Datasets.FASHION_MNIST_CLASSES, Datasets.load(d.toString(), "test").classNames());
        Path e = dir.resolve("three");
        IdxFiles.writeSplit(e, "t10k", 4, 2, 2, 3, false);
        Files.writeString(e.resolve("classes.txt"), "cat\ndog\n\nbird\n");
        Dataset ds = Datasets.load(e.toString(), "test");
        assertEquals(List.of("cat", "dog", "bird"), ds.classNames());
        assertEquals(3, ds.numClasses());
    }

    @Test void countMismatch() {
        Path d = dir.resolve("m");
        IdxFiles.writeSplit(d, "train", 5, 2, 2, 10, false);
        IdxFiles.write(d.resolve("train-labels-idx1-ubyte"), IdxFiles.bytes(Idx.LABELS_MAGIC, new int[] {4}, new byte[4]));
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load(d.toString(), "train"));
        assertTrue(e.getMessage().contains("has 5 images but") && e.getMessage().contains("has 4 labels (expected the same count)"), e.getMessage());
    }

    @Test void searchOrderAndFeintDataHoldingFilesDirectly() {
        assertEquals(List.of(Path.of("/data/mnist"), Path.of("/data"), Path.of("/usr/share/datasets/mnist"), Path.of("/home/u/.cache/feint/mnist")),
                Datasets.searchDirs("mnist", "/data", "/home/u"));
        assertEquals(List.of(Path.of("/usr/share/datasets/mnist"), Path.of("/home/u/.cache/feint/mnist")),
                Datasets.searchDirs("mnist", null, "/home/u"));
        IdxFiles.writeSplit(dir, "t10k", 3, 2, 2, 10, true);
        Dataset d = Datasets.load("mnist", "test", dir.toString(), dir.resolve("home").toString());
        assertEquals("mnist", d.name());
        assertEquals(3, d.size());
        IdxFiles.writeSplit(dir.resolve("mnist"), "t10k", 2, 2, 2, 10, true);
        assertEquals(2, Datasets.load("mnist", "test", dir.toString(), null).size(), "$FEINT_DATA/<name> comes first");
    }

    @Test void notFoundListsEveryPlaceAndHowToGetIt() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("mnist"));
        Files.writeString(data.resolve("mnist/t10k-images-idx3-ubyte.gz"), "");
        Assumptions.assumeFalse(Files.isDirectory(Path.of("/usr/share/datasets/mnist")));
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load("mnist", "test", data.toString(), dir.resolve("home").toString()));
        String m = e.getMessage();
        for (Path p : Datasets.searchDirs("mnist", data.toString(), dir.resolve("home").toString()))
            assertTrue(m.contains(p.toString()), "lists " + p + " in: " + m);
        assertTrue(m.contains(data.resolve("mnist") + " (missing t10k-labels-idx1-ubyte[.gz])"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(assertThrows(FeintException.class, () -> Datasets.load("mnist", "test", null, null)).getMessage().contains("$FEINT_DATA is not set"));
    }

    @Test void badSpecAndSplit() {
        assertTrue(assertThrows(FeintException.class, () -> Datasets.load(dir.resolve("nope").toString(), "train")).getMessage()
                .contains("not a known dataset [") );
        assertEquals("split 'val' (expected train or test)", assertThrows(FeintException.class, () -> Datasets.load("mnist", "val")).getMessage());
        assertTrue(assertThrows(FeintException.class, () -> Datasets.load(dir.toString(), "train")).getMessage()
                .contains("cannot tell the data format"));
        IdxFiles.writeSplit(dir.resolve("only-test"), "t10k", 3, 2, 2, 10, false);
        assertTrue(assertThrows(FeintException.class, () -> Datasets.load(dir.resolve("only-test").toString(), "train")).getMessage()
                .contains("missing train-images-idx3-ubyte[.gz]"));
    }

    @Test void realFashionMnistTestSplit() {
        Path real = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.isRegularFile(real.resolve("t10k-labels-idx1-ubyte.gz")), "Fashion-MNIST not installed");
        Dataset d = Datasets.load(real.toString(), "test");
        assertEquals("fashion-mnist", d.name());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, d.images().dims());
        int[] want = new int[10];
        Arrays.fill(want, 1000);
        assertArrayEquals(want, d.classCounts());
        assertEquals("Ankle boot", d.classNames().get(d.label(0)), "first test image of Fashion-MNIST is an ankle boot");
        float max = 0;
        for (float v : d.images().data()) max = Math.max(max, v);
        assertEquals(1f, max);
    }
}
