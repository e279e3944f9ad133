package dev.feint.io;

import dev.feint.io.internal.Outputs;

import dev.feint.io.internal.IoMessages;

import dev.feint.io.internal.InputFiles;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
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
 * and ended by {@code '\n'}. Reads versions 1-3: {@link #read} a float array ({@code '<f4'} or
 * {@code '<f8'}, as float32); {@link #header} any little-endian numeric dtype for datasets, checking
 * the header's size bounds and that the file holds exactly the data the shape needs.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header accepted when reading (numpy itself refuses headers over 10000 bytes by default). */
    static final int MAX_HEADER_BYTES = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^()]*)\\)");

    private Npy() {}

    /**
     * Writes {@code t} as a float32 {@code .npy} file, atomically.
     *
     * @param file where to write
     * @param t the tensor (its shape becomes the array's shape)
     */
    public static void write(Path file, Tensor t) { AtomicFiles.write(file, out -> write(out, t)); }

    /**
     * Writes {@code t} in .npy form to {@code out} (for a staged output of {@code Outputs}).
     *
     * @param out the stream, left open
     * @param t the tensor
     * @throws IOException if the stream fails
     */
    public static void write(java.io.OutputStream out, Tensor t) throws IOException {
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

    /**
     * A checked {@code .npy} header: dtype ({@code descr}, little-endian or single-byte), C-order
     * shape (at most {@link Safetensors#MAX_ELEMENTS} elements) and where the data starts.
     *
     * @param descr the dtype as numpy writes it ({@code "<f4"}, {@code "|u1"}, ...)
     * @param itemBytes bytes per element
     * @param shape the array's dimensions
     * @param dataOffset where the data starts: the preamble plus the header
     */
    public record Header(String descr, int itemBytes, int[] shape, long dataOffset) {
        /** {@return the number of elements: the product of the shape} */
        public long count() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        /** {@return the size of the data the header declares, in bytes} */
        public long dataBytes() { return count() * itemBytes; }

        /** {@return true for an integer dtype (labels)} */
        public boolean integer() { return descr.charAt(1) == 'i' || descr.charAt(1) == 'u' || descr.charAt(1) == 'b'; }
    }

    /** The dtypes read (little-endian or single-byte). */
    static final List<String> DTYPES = List.of("<f4", "<f8", "|u1", "|i1", "|b1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8");

    /**
     * Reads a float32 or float64 array (as float32).
     *
     * @param file the {@code .npy} file
     * @return the array as a tensor of its shape
     * @throws FeintException if the file is malformed, truncated or of another dtype
     */
    public static Tensor read(Path file) {
        Header h = header(file);
        if (!h.descr.equals("<f4") && !h.descr.equals("<f8"))
            throw fail(file.toString(), "dtype '" + h.descr + "' (expected '<f4' or '<f8')");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            float[] data = new float[(int) h.count()];
            LittleEndianReads.floats(ch, h.dataOffset, data, h.itemBytes == 4 ? SafetensorsDtype.F32 : SafetensorsDtype.F64);
            return new Tensor(Shape.of(h.shape), data);
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        }
    }

    /**
     * Reads and checks the header of a {@code .npy} file, and that the file holds exactly the data it declares.
     *
     * @param file the {@code .npy} file
     * @return the checked header
     * @throws FeintException if the header is malformed or the file size does not match it
     */
    public static Header header(Path file) {
        InputFiles.requireRegular(file, "a .npy file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Header h = header(file.toString(), java.nio.channels.Channels.newInputStream(ch), size);
            if (size - h.dataOffset != h.dataBytes())
                throw fail(file.toString(), "data is " + (size - h.dataOffset) + " bytes but shape " + java.util.Arrays.toString(h.shape)
                        + " of " + h.descr + " needs " + h.dataBytes() + " (expected exactly " + h.dataBytes() + "; truncated file?)");
            return h;
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        }
    }

    /**
     * Reads and checks a {@code .npy} header from a stream at its start (an NPZ entry), leaving
     * the stream at the data; {@code where} names the array in messages and {@code size} is the
     * most bytes the stream can hold (-1 if unknown).
     *
     * @param where names the array in messages
     * @param in the stream, at the start of the array
     * @param size the most bytes the stream can hold, or -1
     * @return the checked header
     * @throws IOException if the stream fails
     * @throws FeintException if the header is malformed
     */
    public static Header header(String where, InputStream in, long size) throws IOException {
        byte[] pre = in.readNBytes(10);
        if (pre.length < 10) throw fail(where, "file is " + pre.length + " bytes (expected at least 10 for the .npy preamble)");
        for (int i = 0; i < MAGIC.length; i++)
            if (pre[i] != MAGIC[i]) throw fail(where, "bad magic (expected \\x93NUMPY at the start of a .npy file)");
        int major = pre[6] & 0xff;
        long hlen;
        int prefix;
        if (major == 1) {
            hlen = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) throw fail(where, "file is " + (10 + more.length) + " bytes (expected at least 12 for a version " + major + " preamble)");
            hlen = ((pre[8] & 0xff) | (pre[9] & 0xff) << 8 | (more[0] & 0xff) << 16 | (long) (more[1] & 0xff) << 24);
            prefix = 12;
        } else {
            throw fail(where, "format version " + major + " (expected 1, 2 or 3)");
        }
        if (hlen > MAX_HEADER_BYTES || (size >= 0 && prefix + hlen > size))
            throw fail(where, "header length " + hlen + " (expected at most " + (size < 0 ? MAX_HEADER_BYTES : Math.min(MAX_HEADER_BYTES, size - prefix)) + ")");
        byte[] hb = in.readNBytes((int) hlen);
        if (hb.length < hlen) throw fail(where, "header length " + hlen + " but the data ends after " + hb.length + " header bytes");
        String header = new String(hb, StandardCharsets.ISO_8859_1).strip();
        if (!header.startsWith("{") || !header.endsWith("}"))
            throw fail(where, "header is not a Python dict (expected {'descr': ..., 'fortran_order': ..., 'shape': ...})");
        String descr = field(where, DESCR, header, "descr");
        if (descr.equals("<u1") || descr.equals("u1")) descr = "|u1";
        if (!DTYPES.contains(descr)) throw fail(where, "dtype '" + descr + "' (expected one of '" + String.join("', '", DTYPES) + "')");
        if (field(where, FORTRAN, header, "fortran_order").equals("True"))
            throw fail(where, "fortran_order is True (expected C order)");
        int[] dims = dims(where, field(where, SHAPE, header, "shape"));
        return new Header(descr, Integer.parseInt(descr.substring(2)), dims, prefix + hlen);
    }

    /**
     * Exactly {@code h}'s data bytes from {@code in}, read in bounded chunks (an NPZ entry's array).
     *
     * @param where names the array in messages
     * @param h the array's header
     * @param in the stream, at the data
     * @return the raw little-endian data
     * @throws IOException if the stream fails
     * @throws FeintException if the data is larger than one array may be or the stream ends early
     */
    public static byte[] readData(String where, Header h, InputStream in) throws IOException {
        long n = h.dataBytes();
        if (n > Safetensors.MAX_ELEMENTS)
            throw fail(where, n + " bytes of data (expected at most " + Safetensors.MAX_ELEMENTS + " in one array)");
        byte[] buf = new byte[(int) Math.min(n, 1 << 20)];
        int got = 0;
        while (got < n) {
            if (got == buf.length) buf = java.util.Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) throw fail(where, "data ends after " + got + " bytes but shape " + java.util.Arrays.toString(h.shape)
                    + " of " + h.descr + " needs " + n + " (truncated file?)");
            got += r;
        }
        return buf;
    }

    /**
     * Little-endian integers (any integer dtype of {@code h}) decoded from {@code data}.
     *
     * @param where names the array in messages
     * @param h the array's header
     * @param data the raw data, as from {@link #readData}
     * @return the values widened to long
     * @throws FeintException if the dtype is not an integer one
     */
    public static long[] integers(String where, Header h, byte[] data) {
        if (!h.integer()) throw fail(where, "dtype '" + h.descr + "' (expected an integer dtype for labels)");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[(int) h.count()];
        for (int i = 0; i < out.length; i++)
            out[i] = switch (h.descr) {
                case "|u1", "|b1" -> b.get() & 0xff;
                case "|i1" -> b.get();
                case "<i2" -> b.getShort();
                case "<u2" -> b.getShort() & 0xffff;
                case "<i4" -> b.getInt();
                case "<u4" -> b.getInt() & 0xffffffffL;
                default -> b.getLong(); // <i8, <u8 (a u8 past 2^63 reads negative, and is refused as a label)
            };
        return out;
    }

    /**
     * Little-endian floats ({@code <f4} or {@code <f8}) decoded from {@code data}.
     *
     * @param h the array's header
     * @param data the raw data, as from {@link #readData}
     * @return the values as float32
     */
    public static float[] floats(Header h, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) h.count()];
        if (h.itemBytes == 4) b.asFloatBuffer().get(out);
        else for (int i = 0; i < out.length; i++) out[i] = (float) b.getDouble();
        return out;
    }

    private static String field(String file, Pattern p, String header, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw fail(file, "header has no valid '" + name + "' entry (expected a numpy .npy header)");
        return m.group(1);
    }

    private static int[] dims(String file, String tuple) {
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

    private static FeintException fail(String file, String what) { return new FeintException(file + ": " + what); }
}
