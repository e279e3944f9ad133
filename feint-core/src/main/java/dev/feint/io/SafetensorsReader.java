package dev.feint.io;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files as untrusted input: every header value is checked against the real
 * file size before anything is allocated from it, with the same rules as the reference Rust
 * implementation (contiguous data_offsets covering exactly the data section).
 */
final class SafetensorsReader {
    private record Entry(String name, SafetensorsDtype dtype, int[] shape, int count, long begin, long end) {}

    private final Path file;

    SafetensorsReader(Path file) { this.file = file; }

    SafetensorsFile read() {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch);
        } catch (NoSuchFileException e) {
            throw new FeintException(file + ": no such file (expected a .safetensors weights file)");
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e + ")", e);
        }
    }

    private SafetensorsFile read(FileChannel ch) throws IOException {
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
        long dataStart = 8 + n;
        long dataLen = size - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (String key : header.map().keySet()) {
            if (key.equals("__metadata__")) metadata = metadata(header.object(key));
            else entries.add(entry(key, header.object(key), dataLen));
        }
        checkContiguous(entries, dataLen);

        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> ints = new LinkedHashMap<>();
        Map<String, int[]> intShapes = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.dtype.floating()) {
                float[] data = LittleEndianReads.floats(ch, dataStart + e.begin, e.count, e.dtype);
                tensors.put(e.name, new Tensor(Shape.of(e.shape), data));
            } else {
                ints.put(e.name, LittleEndianReads.longs(ch, dataStart + e.begin, e.count, e.dtype));
                intShapes.put(e.name, e.shape);
            }
        }
        return new SafetensorsFile(tensors, metadata, ints, intShapes);
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
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8 (expected a UTF-8 JSON header)");
        }
    }

    private FeintException fail(String what) { return new FeintException(file + ": " + what); }
}
