package dev.feint.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds CIFAR, NPY and NPZ files for tests by hand from the formats (independent of the readers). */
final class TestFiles {
    private TestFiles() {}

    /** Pixel byte of example i at flat position p (any layout): distinct across examples and positions. */
    static int pixel(int i, int p) { return (i * 7 + p * 3) & 0xff; }

    /** n CIFAR records; labelBytes 1 (CIFAR-10: label i % 10) or 2 (CIFAR-100: coarse i % 20, fine (i * 3) % 100). */
    static Path cifar(Path file, int n, int labelBytes, int first) {
        ByteBuffer b = ByteBuffer.allocate(n * (labelBytes + Cifar.PIXELS));
        for (int k = 0; k < n; k++) {
            int i = first + k;
            if (labelBytes == 1) b.put((byte) (i % 10));
            else b.put((byte) (i % 20)).put((byte) ((i * 3) % 100));
            for (int p = 0; p < Cifar.PIXELS; p++) b.put((byte) pixel(i, p));
        }
        return write(file, b.array());
    }

    /** A v1.0 .npy file of {@code descr} and {@code shape} holding {@code data} (little-endian bytes). */
    static byte[] npy(String descr, int[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        if (shape.length == 1) s.append(',');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + "), }";
        int hlen = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        ByteBuffer b = ByteBuffer.allocate(10 + hlen + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hlen);
        b.put((dict + " ".repeat(hlen - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    /** Images [n, ...shape] as uint8 with {@link #pixel} values. */
    static byte[] u8(int n, int per) {
        byte[] out = new byte[n * per];
        for (int i = 0; i < n; i++) for (int p = 0; p < per; p++) out[i * per + p] = (byte) pixel(i, p);
        return out;
    }

    static byte[] i64(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : labels) b.putLong(v);
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** An .npz (zip) of the given entries; stored (uncompressed) or deflated. */
    static Path npz(Path file, Map<String, byte[]> entries, boolean compressed) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (var e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (!compressed) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, bos.toByteArray());
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
