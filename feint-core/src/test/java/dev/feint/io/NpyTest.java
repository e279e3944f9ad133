package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir Path dir;

    @Test void headerMatchesNumpyLayout() {
        byte[] h = Npy.header(new int[] {2, 3});
        assertEquals(128, h.length, "numpy pads a 2-D float header to 128 bytes");
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(h, 10));
        String dict = new String(h, 10, 118, StandardCharsets.US_ASCII);
        assertTrue(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), dict);
        assertTrue(dict.endsWith(" \n"));
        assertTrue(new String(Npy.header(new int[] {5}), StandardCharsets.US_ASCII).contains("'shape': (5,)"));
        assertTrue(new String(Npy.header(new int[] {}), StandardCharsets.US_ASCII).contains("'shape': ()"));
        assertEquals(0, Npy.header(new int[] {100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000}).length % 64);
    }

    @Test void roundTrip() throws IOException {
        for (int[] dims : new int[][] {{2, 3}, {7}, {}, {0, 5}, {4, 1, 28, 28}}) {
            Tensor t = Tensor.zeros(dims);
            for (int i = 0; i < t.size(); i++) t.data()[i] = i * 0.25f - 1f;
            Path f = dir.resolve("t.npy");
            Npy.write(f, t);
            Tensor r = Npy.read(f);
            assertEquals(t.shape(), r.shape());
            assertArrayEquals(t.data(), r.data());
            assertEquals(0, (Files.size(f) - 4L * t.size()) % 64);
        }
    }

    @Test void readsFloat64() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2);
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", b.array())).data());
    }

    @Test void truncatedAndHostileFilesFail() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }";
        assertNotNull(Npy.read(npy(dict, new byte[36])));
        assertError(npy(dict, new byte[32]), "data is 32 bytes but shape [3, 3] of <f4 needs 36");
        assertError(npy(dict, new byte[40]), "needs 36 (expected exactly 36");
        assertError(npy(dict.replace("False", "True"), new byte[36]), "fortran_order is True");
        assertError(npy(dict.replace("<f4", ">f4"), new byte[36]), "dtype '>f4' (expected one of '<f4', '<f8'");
        assertError(npy(dict.replace("(3, 3)", "(99999999999999, 3)"), new byte[36]), "shape entry '99999999999999'");
        assertError(npy(dict.replace("(3, 3)", "(-3, 3)"), new byte[36]), "shape entry '-3'");
        assertError(npy(dict.replace("(3, 3)", "(65536, 65536)"), new byte[36]), "too large");
        assertError(npy(dict.replace("'shape'", "'shap'"), new byte[36]), "no valid 'shape' entry");

        Path f = dir.resolve("x.npy");
        Npy.write(f, Tensor.zeros(3, 3));
        byte[] bad = Files.readAllBytes(f);
        bad[8] = (byte) 0xff; // header length 65535, more than the file holds
        bad[9] = (byte) 0xff;
        Files.write(f, bad);
        assertError(f, "header length 65535");
        Files.write(f, "not numpy at all".getBytes());
        assertError(f, "bad magic");
    }

    /** A v1.0 .npy file built by hand: preamble, dict padded to 64 bytes, data. */
    private Path npy(String dict, byte[] data) {
        int hlen = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        ByteBuffer b = ByteBuffer.allocate(10 + hlen + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hlen);
        b.put((dict + " ".repeat(hlen - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII)).put(data);
        Path f = dir.resolve("h" + System.nanoTime() + ".npy");
        AtomicFiles.writeBytes(f, b.array());
        return f;
    }

    private static void assertError(Path f, String fragment) {
        FeintException e = assertThrows(FeintException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment),
                () -> "expected '" + fragment + "' in: " + e.getMessage());
    }
}
