package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir Path dir;

    /** Bytes of a safetensors file written by hand from the spec (not by the code under test). */
    @Test void goldenBytes() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.of(new float[] {1f, -2f}, 2)), Map.of("n", new long[] {7}), Map.of("k", "v"));
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}" + "    ";
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(new byte[] {(byte) 136, 0, 0, 0, 0, 0, 0, 0});
        want.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0, 7, 0, 0, 0, 0, 0, 0, 0});
        assertArrayEquals(want.toByteArray(), Files.readAllBytes(f));
    }

    @Test void roundTrip() {
        Path f = dir.resolve("sub/w.safetensors");
        LinkedHashMap<String, Tensor> ts = new LinkedHashMap<>();
        ts.put("z.weight", Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.NaN, 3e38f, -7f}, 2, 3));
        ts.put("a.bias", Tensor.of(new float[] {0.25f}, 1));
        ts.put("empty", Tensor.zeros(0, 4));
        ts.put("scalar", Tensor.scalar(2f));
        float[] big = new float[300_000]; // spans several write/read chunks
        for (int i = 0; i < big.length; i++) big[i] = i * 0.5f;
        ts.put("big", Tensor.of(big, 600, 500));
        Map<String, long[]> ints = new LinkedHashMap<>();
        ints.put("bn.num_batches_tracked", new long[] {123456789012L});
        ints.put("ids", new long[] {-1, 2, 3});
        Map<String, String> meta = Map.of("arch", "{\"layers\":[1,2]}", "classes", "é, ü");
        Safetensors.write(f, ts, ints, meta);

        SafetensorsFile r = Safetensors.read(f);
        assertEquals(List.copyOf(ts.keySet()), List.copyOf(r.tensors().keySet()), "header order kept");
        for (String k : ts.keySet()) {
            assertEquals(ts.get(k).shape(), r.tensors().get(k).shape(), k);
            assertArrayEquals(ts.get(k).data(), r.tensors().get(k).data(), k);
        }
        assertEquals(meta, r.metadata());
        assertArrayEquals(new long[] {123456789012L}, r.intTensors().get("bn.num_batches_tracked"));
        assertArrayEquals(new int[0], r.intShapes().get("bn.num_batches_tracked"));
        assertArrayEquals(new long[] {-1, 2, 3}, r.intTensors().get("ids"));
        assertArrayEquals(new int[] {3}, r.intShapes().get("ids"));

        Path g = dir.resolve("again.safetensors");
        Safetensors.write(g, r);
        assertEquals(Safetensors.read(g).intShapes().keySet(), r.intShapes().keySet());
        assertEquals(0, (8 + ByteBuffer.wrap(readBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()) % 8,
                "data section is 8-byte aligned");
    }

    @Test void readsOtherDtypes() {
        ByteBuffer data = ByteBuffer.allocate(2 + 2 + 8 + 4 + 1).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(-1.5f));      // F16
        data.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)); // BF16
        data.putDouble(0.125);                           // F64
        data.putInt(-5);                                 // I32
        data.put((byte) 200);                            // U8
        Path f = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[4,12]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[12,16]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[16,17]}}", data.array());
        SafetensorsFile r = Safetensors.read(f);
        assertEquals(-1.5f, r.tensors().get("h").item());
        assertEquals(3.0f, r.tensors().get("b").item());
        assertEquals(0.125f, r.tensors().get("d").item());
        assertArrayEquals(new long[] {-5}, r.intTensors().get("i"));
        assertArrayEquals(new int[] {1, 1}, r.intShapes().get("i"));
        assertArrayEquals(new long[] {200}, r.intTensors().get("u"));
        assertTrue(r.metadata().isEmpty());
    }

    // ---- hostile input: each must be a FeintException naming the file and the problem ----

    private static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test void headerLengthLargerThanFile() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertError(f, "header length 1000 is larger than the 4 bytes after it");
    }

    @Test void headerLengthHuge() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array());
        assertError(f, "header length 1152921504606846976 is over the limit");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertError(f, "header length 18446744073709551615 is over the limit");
    }

    @Test void tinyFile() throws IOException {
        Path f = dir.resolve("tiny.safetensors");
        Files.write(f, new byte[3]);
        assertError(f, "file is 3 bytes (expected at least 8");
    }

    @Test void offsetsOutOfRange() {
        assertError(file(ONE.replace("[0,8]", "[0,16]"), new byte[8]), "tensor 'w' has data_offsets [0, 16] outside the data section");
        assertError(file(ONE.replace("[0,8]", "[-8,0]"), new byte[8]), "outside the data section");
        assertError(file(ONE.replace("[0,8]", "[0]"), new byte[8]), "expected [begin, end] integers");
    }

    @Test void sizeMismatch() {
        assertError(file(ONE.replace("[2]", "[3]"), new byte[8]), "spanning 8 bytes but F32 shape [3] needs 12");
    }

    @Test void shapeOverflowAndNegative() {
        assertError(file(ONE.replace("[2]", "[4294967296,4294967296]"), new byte[8]), "shape entry 4294967296");
        assertError(file(ONE.replace("[2]", "[65536,65536]"), new byte[8]), "more than 2147483639 elements");
        assertError(file(ONE.replace("[2]", "[-2]"), new byte[8]), "shape entry -2");
        assertError(file(ONE.replace("[2]", "[2.0]"), new byte[8]), "shape entry 2.0");
    }

    @Test void gapsAndTrailingBytes() {
        assertError(file(ONE, new byte[12]), "data section is 12 bytes but the tensors cover 8");
        assertError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", new byte[8]), "tensor 'b' starts at data byte 2");
    }

    @Test void badJson() {
        FeintException e = assertError(file("{\"w\":{\"dtype\":\"F32\",}}", new byte[0]), "invalid JSON at line 1");
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        assertError(file("[1,2]", new byte[0]), "does not start with '{'");
        assertError(file("{\"w\":5}", new byte[0]), "key 'w' is the number 5 (expected an object)");
        assertError(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ key 'k' is the number 1 (expected a string)");
    }

    @Test void unknownDtype() {
        assertError(file(ONE.replace("F32", "Q4_K"), new byte[8]), "tensor 'w' has unknown or unsupported dtype 'Q4_K' (expected one of [F32");
    }

    @Test void missingFile() {
        assertError(dir.resolve("nope.safetensors"), "no such file");
    }

    private FeintException assertError(Path f, String fragment) {
        FeintException e = assertThrows(FeintException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
        return e;
    }

    private Path file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = dir.resolve("t" + System.nanoTime() + ".safetensors");
        AtomicFiles.writeBytes(f, b.array());
        return f;
    }

    private static byte[] readBytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
