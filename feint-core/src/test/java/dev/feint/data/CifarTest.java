package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.feint.data.IdxTest.assertError;
import static org.junit.jupiter.api.Assertions.*;

class CifarTest {
    @TempDir Path dir;

    private Path cifar10(Path d) throws IOException {
        for (int b = 0; b < 5; b++) TestFiles.cifar(d.resolve("data_batch_" + (b + 1) + ".bin"), 3, 1, 3 * b);
        TestFiles.cifar(d.resolve("test_batch.bin"), 4, 1, 100);
        Files.writeString(d.resolve("batches.meta.txt"), String.join("\n", Datasets.CIFAR10_CLASSES) + "\n\n");
        return d;
    }

    @Test void cifar10SplitsDetectedPixelsInChannelOrder() throws IOException {
        Path d = cifar10(dir.resolve("c10/cifar-10-batches-bin"));
        Dataset train = Datasets.load(dir.resolve("c10").toString(), "train"), test = Datasets.load(d.toString(), "test");
        assertEquals(15, train.size());
        assertEquals(4, test.size());
        assertArrayEquals(new int[] {3, 32, 32}, train.exampleShape());
        assertEquals(Datasets.CIFAR10_CLASSES, test.classNames());
        for (int i = 0; i < 15; i++) assertEquals(i % 10, train.label(i), "labels run on across the five files");
        // example 7 (file 3, record 1): channel 2 (blue), row 5, column 9 is byte 2*1024 + 5*32 + 9 of its pixels
        Tensor x = train.example(7);
        assertEquals(TestFiles.pixel(7, 2 * 1024 + 5 * 32 + 9) / 255f, x.get(0, 2, 5, 9));
        assertEquals(TestFiles.pixel(103, 0) / 255f, test.example(3).get(0, 0, 0, 0));
        assertEquals("c10", train.name());
    }

    @Test void cifar100FineOrCoarse() {
        TestFiles.cifar(dir.resolve("train.bin"), 5, 2, 0);
        TestFiles.cifar(dir.resolve("test.bin"), 30, 2, 0);
        Dataset fine = Datasets.load(dir.toString(), "test");
        assertEquals(100, fine.numClasses());
        assertEquals((29 * 3) % 100, fine.label(29));
        Dataset coarse = Datasets.load(new DatasetSpec(dir.toString(), null, Cifar.Label.COARSE, null, null, null), "test");
        assertEquals(20, coarse.numClasses());
        assertEquals(29 % 20, coarse.label(29));
        assertEquals(TestFiles.pixel(4, 100) / 255f, coarse.example(4).data()[100], "pixels after the two label bytes");
    }

    @Test void truncatedFileAndLabelsOutOfRange() throws IOException {
        Path d = cifar10(dir.resolve("bad"));
        byte[] b = Files.readAllBytes(d.resolve("test_batch.bin"));
        Files.write(d.resolve("test_batch.bin"), java.util.Arrays.copyOf(b, b.length - 10));
        Path t = d.resolve("test_batch.bin");
        assertError(() -> Datasets.load(d.toString(), "test"), t, "12282 bytes is not a whole number of 3073-byte records");
        b[3073] = 10; // label of record 1
        Files.write(t, b);
        assertError(() -> Datasets.load(d.toString(), "test"), t, "label 10 in record 1 is out of range (expected 0..9 for 10 classes");
        Files.write(t, new byte[0]);
        assertError(() -> Datasets.load(d.toString(), "test"), t, "0 bytes is not a whole number");
    }

    @Test void missingBatchNamesTheFile() throws IOException {
        Path d = cifar10(dir.resolve("m"));
        Files.delete(d.resolve("data_batch_4.bin"));
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load(d.toString(), "train"));
        assertTrue(e.getMessage().contains("missing data_batch_4.bin"), e.getMessage());
    }

    @Test void singleFileDetectedByRecordSizeIsTheTestSplit() {
        Path f = TestFiles.cifar(dir.resolve("some.bin"), 2, 1, 0);
        Dataset d = Datasets.load(f.toString(), "test");
        assertEquals(2, d.size());
        assertTrue(assertThrows(FeintException.class, () -> Datasets.load(f.toString(), "train")).getMessage().contains("data without a train split"));
    }

    @Test void namedCifarNotFoundSaysWhereAndWhat() {
        FeintException e = assertThrows(FeintException.class, () -> Datasets.load("cifar10", "test", dir.toString(), dir.resolve("home").toString()));
        String m = e.getMessage();
        for (Path p : Datasets.searchDirs("cifar10", dir.toString(), dir.resolve("home").toString()))
            assertTrue(m.contains(p.toString()), m);
        assertTrue(m.contains("data_batch_1.bin ... data_batch_5.bin, test_batch.bin") && m.contains("cifar-10-binary.tar.gz")
                && m.contains("$FEINT_DATA/cifar10 or ~/.cache/feint/cifar10"), m);
        TestFiles.cifar(dir.resolve("cifar100/cifar-100-binary/test.bin"), 2, 2, 0);
        assertEquals(2, Datasets.load("cifar100", "test", dir.toString(), null).size(), "found in $FEINT_DATA/cifar100/cifar-100-binary");
        assertEquals(List.of("0", "1"), Datasets.load("cifar100", "test", dir.toString(), null).classNames().subList(0, 2));
    }
}
