package dev.feint.io;

import dev.feint.io.internal.IoMessages;

import dev.feint.io.internal.InputFiles;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file whose header has been read and checked, as untrusted input: every
 * header value is checked against the real file size before anything is allocated from it,
 * with the same rules as the reference Rust implementation (contiguous data_offsets covering
 * exactly the data section). No tensor data is read until asked for, so a caller checks names,
 * dtypes and shapes against what it expects first ({@link #expect}) and a file with an extra or
 * oversized tensor costs nothing but its header.
 *
 * <pre>{@code
 * try (SafetensorsReader r = Safetensors.open(path)) {
 *     r.expect(Map.of("fc.weight", new int[] {10, 784}), Map.of(), "model 'mlp'");
 *     r.readFloats("fc.weight", weights);
 * }
 * }</pre>
 */
public final class SafetensorsReader implements AutoCloseable {
    /** Integer tensors are only metadata-sized here (counters): larger ones are refused, not widened to long[]. */
    public static final int MAX_INTEGER_ELEMENTS = 1 << 16;

    /**
     * One tensor's header entry: name, dtype, shape and element count.
     *
     * @param name the tensor's name
     * @param dtype its element type
     * @param shape its dimensions
     * @param count the number of elements
     * @param begin where its data starts, from the start of the data section
     * @param end where its data ends (exclusive), from the start of the data section
     */
    public record Entry(String name, SafetensorsDtype dtype, int[] shape, int count, long begin, long end) {}

    private final Path file;
    private final FileChannel ch;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private SafetensorsReader(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.ch = ch;
        long size = ch.size();
        if (size < 8) throw fail("file is " + size + " bytes (expected at least 8: the header length)");
        long n = LittleEndianReads.bytes(ch, 0, 8).getLong();
        if (n < 0 || n > Safetensors.MAX_HEADER_BYTES)
            throw fail("header length " + Long.toUnsignedString(n) + " is over the limit (expected at most "
                    + Safetensors.MAX_HEADER_BYTES + " bytes; not a safetensors file?)");
        if (n > size - 8)
            throw fail("header length " + n + " is larger than the " + (size - 8)
                    + " bytes after it (expected at most " + (size - 8) + "; truncated file?)");
        String text = utf8(LittleEndianReads.bytes(ch, 8, (int) n));
        if (!text.startsWith("{")) throw fail("header does not start with '{' (expected a JSON object)");
        JsonObject header = JsonObject.of(Json.parse(text, file + " header"), file + " header");
        dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, String> meta = Map.of();
        List<Entry> list = new ArrayList<>();
        for (String key : header.map().keySet()) {
            if (key.equals("__metadata__")) meta = metadata(header.object(key));
            else list.add(entry(key, header.object(key), dataLen));
        }
        checkContiguous(list, dataLen);
        for (Entry e : list) entries.put(e.name, e);
        metadata = meta;
    }

    /**
     * Opens {@code file} and checks its header; nothing else is read.
     *
     * @param file the {@code .safetensors} file
     * @return the open reader, to close
     * @throws FeintException if the file cannot be read or its header is malformed
     */
    public static SafetensorsReader open(Path file) {
        InputFiles.requireRegular(file, "a .safetensors weights file");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            return new SafetensorsReader(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** {@return the file this reader reads} */
    public Path file() { return file; }

    /** {@return the {@code __metadata__} string map (empty if absent)} */
    public Map<String, String> metadata() { return metadata; }

    /** {@return the header entries by name, in header order} */
    public Map<String, Entry> entries() { return java.util.Collections.unmodifiableMap(entries); }

    /** {@return the sum of the element counts of all floating tensors (what reading them all would allocate)} */
    public long floatElements() {
        long n = 0;
        for (Entry e : entries.values()) if (e.dtype.floating()) n += e.count;
        return n;
    }

    /**
     * Checks the header against what the caller expects before any data is read: every tensor
     * must be one of {@code floats} (a floating dtype, that shape) or {@code ints} (an integer
     * dtype, that shape); every name of {@code floats} must be present ({@code ints} are
     * optional). {@code owner} ("architecture 'mlp'") goes into the messages.
     *
     * @param floats the floating tensors expected, with their shapes
     * @param ints the integer tensors allowed, with their shapes
     * @param owner what expects them, for messages
     * @throws FeintException if a tensor is unexpected, missing, or of another dtype kind or shape
     */
    public void expect(Map<String, int[]> floats, Map<String, int[]> ints, String owner) {
        for (Entry e : entries.values()) {
            int[] want = floats.get(e.name);
            boolean floating = want != null;
            if (want == null) want = ints.get(e.name);
            if (want == null) throw fail("unexpected tensor '" + e.name + "' for " + owner);
            if (floating != e.dtype.floating())
                throw fail("tensor '" + e.name + "' has dtype " + e.dtype + " (expected " + (floating ? "a floating" : "an integer")
                        + " dtype such as " + (floating ? "F32" : "I64") + ")");
            if (!java.util.Arrays.equals(e.shape, want))
                throw fail("tensor '" + e.name + "' has shape " + java.util.Arrays.toString(e.shape) + ", expected "
                        + java.util.Arrays.toString(want));
        }
        for (var w : floats.entrySet())
            if (!entries.containsKey(w.getKey()))
                throw fail("missing tensor '" + w.getKey() + "' (expected shape " + java.util.Arrays.toString(w.getValue()) + ")");
    }

    /**
     * Reads floating tensor {@code name} into {@code dst}, whose length must be its element count.
     *
     * @param name the tensor's name
     * @param dst where to put its values, as float32
     * @throws IllegalArgumentException if there is no such floating tensor or {@code dst} has another length
     */
    public void readFloats(String name, float[] dst) {
        Entry e = floating(name);
        if (dst.length != e.count)
            throw new IllegalArgumentException("tensor '" + name + "' has " + e.count + " elements, destination " + dst.length);
        try {
            LittleEndianReads.floats(ch, dataStart + e.begin, dst, e.dtype);
        } catch (IOException x) {
            throw new FeintException(file + ": cannot read tensor '" + name + "' (" + IoMessages.reason(x) + ")", x);
        }
    }

    /**
     * Reads floating tensor {@code name} as a new float32 tensor.
     *
     * @param name the tensor's name
     * @return a new tensor of its shape
     */
    public Tensor readTensor(String name) {
        Entry e = floating(name);
        float[] data = new float[e.count];
        readFloats(name, data);
        return new Tensor(Shape.of(e.shape), data);
    }

    /**
     * Reads integer tensor {@code name} (at most {@value #MAX_INTEGER_ELEMENTS} elements).
     *
     * @param name the tensor's name
     * @return its values widened to long
     * @throws IllegalArgumentException if there is no such integer tensor
     * @throws FeintException if it is over the limit or cannot be read
     */
    public long[] readLongs(String name) {
        Entry e = entries.get(name);
        if (e == null || e.dtype.floating()) throw new IllegalArgumentException("no integer tensor '" + name + "'");
        if (e.count > MAX_INTEGER_ELEMENTS)
            throw fail("integer tensor '" + name + "' has " + e.count + " elements (expected at most " + MAX_INTEGER_ELEMENTS
                    + ": Feint reads only counters as integers)");
        try {
            return LittleEndianReads.longs(ch, dataStart + e.begin, e.count, e.dtype);
        } catch (IOException x) {
            throw new FeintException(file + ": cannot read tensor '" + name + "' (" + IoMessages.reason(x) + ")", x);
        }
    }

    /** {@return every tensor (floating ones as float32, integer ones within {@link #readLongs}'s limit)} */
    public SafetensorsFile readAll() {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> ints = new LinkedHashMap<>();
        Map<String, int[]> intShapes = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (e.dtype.floating()) {
                tensors.put(e.name, readTensor(e.name));
            } else {
                ints.put(e.name, readLongs(e.name));
                intShapes.put(e.name, e.shape);
            }
        }
        return new SafetensorsFile(tensors, new LinkedHashMap<>(metadata), ints, intShapes);
    }

    @Override public void close() { closeQuietly(ch); }

    private Entry floating(String name) {
        Entry e = entries.get(name);
        if (e == null || !e.dtype.floating()) throw new IllegalArgumentException("no floating tensor '" + name + "'");
        return e;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    }

    private Entry entry(String name, JsonObject info, long dataLen) {
        String what = "tensor '" + name + "'";
        String dtypeName = info.string("dtype");
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeName);
        if (dtype == null)
            throw fail(what + " has unknown or unsupported dtype '" + dtypeName + "' (expected one of "
                    + java.util.Arrays.toString(SafetensorsDtype.values()) + ")");
        List<Object> shapeList = info.list("shape");
        if (shapeList.size() > 32) throw fail(what + " has " + shapeList.size() + " dimensions (expected at most 32)");
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeList.get(i);
            if (!(d instanceof Long v) || v < 0 || v > Integer.MAX_VALUE)
                throw fail(what + " has shape entry " + d + " (expected an integer in 0.." + Integer.MAX_VALUE + ")");
            shape[i] = (int) (long) v;
            count *= v; // both <= 2^31 - 1 and count was checked below, so this cannot overflow
            if (count > Safetensors.MAX_ELEMENTS)
                throw fail(what + " has shape " + shapeList + " with more than " + Safetensors.MAX_ELEMENTS
                        + " elements (expected at most " + Safetensors.MAX_ELEMENTS + ")");
        }
        List<Object> offsets = info.list("data_offsets");
        if (offsets.size() != 2 || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end))
            throw fail(what + " has data_offsets " + offsets + " (expected [begin, end] integers)");
        if (begin < 0 || end < begin || end > dataLen)
            throw fail(what + " has data_offsets [" + begin + ", " + end + "] outside the data section (expected 0 <= begin <= end <= "
                    + dataLen + ")");
        long need = count * dtype.bytes();
        if (end - begin != need)
            throw fail(what + " has data_offsets [" + begin + ", " + end + "] spanning " + (end - begin) + " bytes but "
                    + dtype + " shape " + shapeList + " needs " + need + " (expected end - begin = " + need + ")");
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    private void checkContiguous(List<Entry> entries, long dataLen) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at)
                throw fail("tensor '" + e.name + "' starts at data byte " + e.begin + " but the previous tensor ends at " + at
                        + " (expected contiguous, non-overlapping data_offsets)");
            at = e.end;
        }
        if (at != dataLen)
            throw fail("data section is " + dataLen + " bytes but the tensors cover " + at + " (expected them to cover it exactly)");
    }

    private Map<String, String> metadata(JsonObject meta) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : meta.map().entrySet()) {
            if (!(e.getValue() instanceof String s))
                throw fail("__metadata__ key '" + e.getKey() + "' is " + JsonObject.kind(e.getValue()) + " (expected a string)");
            out.put(e.getKey(), s);
        }
        return out;
    }

    private String utf8(ByteBuffer bytes) {
        String text = InputFiles.utf8(bytes.array());
        if (text == null) throw fail("header is not valid UTF-8 (expected a UTF-8 JSON header)");
        return text;
    }

    private FeintException fail(String what) { return new FeintException(file + ": " + what); }
}
