package dev.feint.io;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tensors as NumPy {@code .npy} files, so adversarial batches open with {@code numpy.load}.
 * Writes format 1.0, {@code '<f4'}, C order, header padded with spaces to a 64-byte boundary
 * and ended by {@code '\n'}. Reads versions 1-3 of {@code '<f4'} or {@code '<f8'} (as float32),
 * checking the header and that the file holds exactly the data the shape needs.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header accepted when reading (numpy itself refuses headers over 10000 bytes by default). */
    static final int MAX_HEADER_BYTES = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^()]*)\\)");

    private Npy() {}

    public static void write(Path file, Tensor t) { AtomicFiles.write(file, out -> write(out, t)); }

    /** Writes {@code t} in .npy form to {@code out} (for a staged output of {@link Outputs}). */
    public static void write(java.io.OutputStream out, Tensor t) throws java.io.IOException {
        out.write(header(t.dims()));
        float[] data = t.data();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            int n = Math.min(data.length - i, buf.capacity() / 4);
            buf.clear();
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    /** Magic, version 1.0, header length and the padded dict: a multiple of 64 bytes. */
    static byte[] header(int[] dims) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) shape.append(i == 0 ? "" : ", ").append(dims[i]);
        if (dims.length == 1) shape.append(',');
        shape.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String padded = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static Tensor read(Path file) {
        InputFiles.requireRegular(file, "a .npy file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        }
    }

    private static Tensor read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 10) throw fail(file, "file is " + size + " bytes (expected at least 10 for the .npy preamble)");
        ByteBuffer pre = LittleEndianReads.bytes(ch, 0, 12 <= size ? 12 : 10);
        for (byte m : MAGIC)
            if (pre.get() != m) throw fail(file, "bad magic (expected \\x93NUMPY at the start of a .npy file)");
        int major = pre.get() & 0xff;
        pre.get(); // minor
        long hlen;
        int prefix;
        if (major == 1) {
            hlen = pre.getShort() & 0xffff;
            prefix = 10;
        } else if ((major == 2 || major == 3) && pre.remaining() >= 4) {
            hlen = pre.getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw fail(file, "format version " + major + " (expected 1, 2 or 3)");
        }
        if (hlen > MAX_HEADER_BYTES || prefix + hlen > size)
            throw fail(file, "header length " + hlen + " (expected at most " + Math.min(MAX_HEADER_BYTES, size - prefix) + ")");
        String header = StandardCharsets.ISO_8859_1.decode(LittleEndianReads.bytes(ch, prefix, (int) hlen)).toString().strip();
        if (!header.startsWith("{") || !header.endsWith("}"))
            throw fail(file, "header is not a Python dict (expected {'descr': ..., 'fortran_order': ..., 'shape': ...})");

        String descr = field(file, DESCR, header, "descr");
        SafetensorsDtype dtype = switch (descr) {
            case "<f4" -> SafetensorsDtype.F32;
            case "<f8" -> SafetensorsDtype.F64;
            default -> throw fail(file, "dtype '" + descr + "' (expected '<f4' or '<f8')");
        };
        if (field(file, FORTRAN, header, "fortran_order").equals("True"))
            throw fail(file, "fortran_order is True (expected C order)");
        int[] dims = dims(file, field(file, SHAPE, header, "shape"));
        long count = 1;
        for (int d : dims) count *= d;  // each dim and the running product were bounded in dims()
        long dataStart = prefix + hlen;
        long need = count * dtype.bytes();
        if (size - dataStart != need)
            throw fail(file, "data is " + (size - dataStart) + " bytes but shape " + java.util.Arrays.toString(dims) + " of "
                    + descr + " needs " + need + " (expected exactly " + need + "; truncated file?)");
        float[] data = new float[(int) count];
        LittleEndianReads.floats(ch, dataStart, data, dtype);
        return new Tensor(Shape.of(dims), data);
    }

    private static String field(Path file, Pattern p, String header, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw fail(file, "header has no valid '" + name + "' entry (expected a numpy .npy header)");
        return m.group(1);
    }

    private static int[] dims(Path file, String tuple) {
        List<Integer> dims = new ArrayList<>();
        long count = 1;
        for (String part : tuple.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) continue;
            long d;
            try {
                d = s.length() > 12 ? -1 : Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                d = -1;
            }
            if (d < 0 || d > Integer.MAX_VALUE) throw fail(file, "shape entry '" + s + "' (expected a non-negative int)");
            count *= d;
            if (count > Safetensors.MAX_ELEMENTS || dims.size() >= 32)
                throw fail(file, "shape (" + tuple + ") is too large (expected at most " + Safetensors.MAX_ELEMENTS
                        + " elements in at most 32 dimensions)");
            dims.add((int) d);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static FeintException fail(Path file, String what) { return new FeintException(file + ": " + what); }
}
