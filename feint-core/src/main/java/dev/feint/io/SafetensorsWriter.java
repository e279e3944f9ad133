package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors the way the Python library does: compact JSON header (metadata first,
 * then F32 tensors in map order, then I64 tensors), padded with spaces to a multiple of 8 so
 * the data starts aligned, then contiguous little-endian data.
 */
final class SafetensorsWriter {
    private static final int CHUNK = 1 << 16;

    private SafetensorsWriter() {}

    static void write(Path file, Map<String, Tensor> tensors, Map<String, long[]> ints, Map<String, int[]> intShapes,
                      Map<String, String> metadata) {
        byte[] header = header(tensors, ints, intShapes, metadata);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) writeFloats(out, buf, t.data());
            for (long[] v : ints.values()) writeLongs(out, buf, v);
        });
    }

    /** The padded header bytes; validates names and shapes first so nothing is written on error. */
    static byte[] header(Map<String, Tensor> tensors, Map<String, long[]> ints, Map<String, int[]> intShapes,
                         Map<String, String> metadata) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) h.put("__metadata__", new LinkedHashMap<>(metadata));
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            checkName(e.getKey(), seen);
            Tensor t = e.getValue();
            long len = 4L * t.size();
            h.put(e.getKey(), info("F32", t.dims(), offset, offset + len));
            offset += len;
        }
        for (Map.Entry<String, long[]> e : ints.entrySet()) {
            checkName(e.getKey(), seen);
            int[] shape = intShapes.get(e.getKey());
            long n = 1;
            for (int d : shape) n *= d;
            if (n != e.getValue().length)
                throw new IllegalArgumentException("int tensor '" + e.getKey() + "' has " + e.getValue().length
                        + " values but shape " + Arrays.toString(shape));
            long len = 8L * n;
            h.put(e.getKey(), info("I64", shape, offset, offset + len));
            offset += len;
        }
        byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static Map<String, Object> info(String dtype, int[] shape, long begin, long end) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", dtype);
        m.put("shape", shape);
        m.put("data_offsets", List.of(begin, end));
        return m;
    }

    private static void checkName(String name, Set<String> seen) {
        if (name == null || name.isEmpty() || name.equals("__metadata__"))
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        if (!seen.add(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
    }

    private static void writeFloats(OutputStream out, ByteBuffer buf, float[] data) throws IOException {
        for (int i = 0; i < data.length; ) {
            int n = Math.min(data.length - i, CHUNK / 4);
            buf.clear();
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    private static void writeLongs(OutputStream out, ByteBuffer buf, long[] data) throws IOException {
        for (int i = 0; i < data.length; ) {
            int n = Math.min(data.length - i, CHUNK / 8);
            buf.clear();
            buf.asLongBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 8);
            i += n;
        }
    }
}
