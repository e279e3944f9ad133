package dev.feint.cli;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** A 12-image, 6x6, 3-class test split in IDX form, for command tests that need real files. */
final class TinyTestSet {
    private TinyTestSet() {}

    /** Writes the test images, labels and class names into dir (created if missing); returns dir. */
    static Path write(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(1);
        int n = 12;
        ByteBuffer img = ByteBuffer.allocate(16 + n * 36).putInt(0x803).putInt(n).putInt(6).putInt(6);
        for (int i = 0; i < n * 36; i++) img.put((byte) (40 + r.nextInt(170)));
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) lab.put((byte) (i % 3));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), img.array());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), lab.array());
        Files.write(dir.resolve("classes.txt"), List.of("cat", "dog", "t shirt"));
        return dir;
    }
}
