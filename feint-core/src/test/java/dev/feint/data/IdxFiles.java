package dev.feint.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests, by hand from the format (big-endian header). */
final class IdxFiles {
    private IdxFiles() {}

    static byte[] bytes(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** n images of h x w where pixel value = (i + y * w + x) mod 256, and labels i mod classes. */
    static void writeSplit(Path dir, String prefix, int n, int h, int w, int classes, boolean gz) {
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < h * w; p++) px[i * h * w + p] = (byte) (i + p);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (i % classes);
        byte[] images = bytes(Idx.IMAGES_MAGIC, new int[] {n, h, w}, px);
        byte[] labels = bytes(Idx.LABELS_MAGIC, new int[] {n}, lb);
        String ext = gz ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? gzip(images) : images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? gzip(labels) : labels);
    }
}
