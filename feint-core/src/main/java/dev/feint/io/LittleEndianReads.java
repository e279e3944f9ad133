package dev.feint.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Positional, chunked reads of little-endian numbers from a file channel. Reading a bounded
 * chunk at a time (instead of mapping or slurping the file) means a reader never touches more
 * bytes than a validated header declared, and never holds a file mapping that would stop the
 * file from being replaced.
 */
final class LittleEndianReads {
    private static final int CHUNK = 1 << 20; // multiple of every element size

    private LittleEndianReads() {}

    /** Exactly {@code len} bytes at {@code pos}, little-endian, flipped for reading. */
    static ByteBuffer bytes(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        fill(ch, buf, pos);
        return buf.flip();
    }

    /** Decodes {@code out.length} elements of a floating dtype at {@code pos} into {@code out}. */
    static void floats(FileChannel ch, long pos, float[] out, SafetensorsDtype dtype) throws IOException {
        chunks(ch, pos, out.length, dtype.bytes(), (buf, done, n) -> {
            switch (dtype) {
                case F32 -> buf.asFloatBuffer().get(out, done, n);
                case F64 -> { for (int i = 0; i < n; i++) out[done + i] = (float) buf.getDouble(); }
                case F16 -> { for (int i = 0; i < n; i++) out[done + i] = Float.float16ToFloat(buf.getShort()); }
                case BF16 -> { for (int i = 0; i < n; i++) out[done + i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16); }
                default -> throw new IllegalArgumentException(dtype + " is not a floating dtype");
            }
        });
    }

    /** Decodes {@code count} elements of an integer dtype at {@code pos} into a new long array. */
    static long[] longs(FileChannel ch, long pos, int count, SafetensorsDtype dtype) throws IOException {
        long[] out = new long[count];
        chunks(ch, pos, count, dtype.bytes(), (buf, done, n) -> {
            for (int i = 0; i < n; i++) {
                out[done + i] = switch (dtype) {
                    case I64 -> buf.getLong();
                    case I32 -> buf.getInt();
                    case I16 -> buf.getShort();
                    case I8 -> buf.get();
                    case U8, BOOL -> buf.get() & 0xff;
                    default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
                };
            }
        });
        return out;
    }

    /** Decodes {@code n} elements from {@code buf} (little-endian, ready to read) into the output from element {@code done} on. */
    private interface Decoder {
        void decode(ByteBuffer buf, int done, int n);
    }

    /** Reads {@code count} elements of {@code per} bytes at {@code pos}, one bounded chunk at a time, each handed to {@code d}. */
    private static void chunks(FileChannel ch, long pos, int count, int per, Decoder d) throws IOException {
        if (count == 0) return;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) count * per)).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, buf.capacity() / per);
            buf.clear().limit(n * per);
            fill(ch, buf, pos + (long) done * per);
            buf.flip();
            d.decode(buf, done, n);
            done += n;
        }
    }

    private static void fill(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) throw new EOFException("file ended at byte " + p + " (it changed while being read?)");
            p += r;
        }
    }
}
