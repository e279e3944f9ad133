package dev.feint.data;

import dev.feint.FeintException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Examples stored as fixed-size records in one or more files (raw IDX, CIFAR binary, NPY),
 * read with positional reads of exactly the records a batch asks for. The readers that build
 * one have checked every file's size against its header, so a read past the end means the file
 * changed while in use.
 *
 * @param segments   the files in order, each with the byte offset of its first record and its record count
 * @param stride     bytes from one record to the next
 * @param skip       bytes of each record before the pixels (CIFAR's label bytes)
 * @param dtype      how pixels are stored
 * @param channelsLast pixels are [H,W,C] in the file (else [C,H,W])
 */
record RecordFile(String origin, List<Segment> segments, int[] shape, long stride, int skip, Dtype dtype,
                  boolean channelsLast) implements ExampleSource {
    /** Stored pixel types: unsigned bytes (level v/255) or little-endian floats already in [0,1]. */
    enum Dtype {
        U8(1), F32(4), F64(8);
        final int bytes;

        Dtype(int bytes) { this.bytes = bytes; }
    }

    /** {@code count} records of one file starting at byte {@code start}. */
    record Segment(Path file, long start, int count) {}

    RecordFile {
        segments = List.copyOf(segments);
        shape = shape.clone();
        long total = 0;
        for (Segment s : segments) total += s.count();
        if (total > Integer.MAX_VALUE) throw new FeintException(origin + ": " + total + " examples (expected at most " + Integer.MAX_VALUE + ")");
    }

    @Override public int size() {
        int n = 0;
        for (Segment s : segments) n += s.count();
        return n;
    }

    @Override public int[] shape() { return shape.clone(); }

    @Override public void read(int[] indices, float[] out) {
        int per = exampleSize();
        ByteBuffer buf = ByteBuffer.allocate(per * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = buf.array();
        float[] floats = dtype == Dtype.U8 ? null : new float[per];
        FileChannel ch = null;
        int open = -1;
        try {
            for (int k = 0; k < indices.length; k++) {
                int seg = 0, i = indices[k];
                while (i >= segments.get(seg).count()) i -= segments.get(seg++).count();
                Segment s = segments.get(seg);
                if (seg != open) {
                    if (ch != null) ch.close();
                    ch = FileChannel.open(s.file(), StandardOpenOption.READ);
                    open = seg;
                }
                buf.clear();
                long pos = s.start() + i * stride + skip;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, pos + buf.position());
                    if (r < 0) throw new FeintException(s.file() + ": ended inside example " + indices[k]
                            + " (expected " + (pos + bytes.length) + " bytes at least; did the file change while in use?)");
                }
                if (dtype == Dtype.U8) {
                    Pixels.expand(bytes, 0, channelsLast, shape[0], shape[1], shape[2], out, k * per);
                } else {
                    buf.flip();
                    if (dtype == Dtype.F32) buf.asFloatBuffer().get(floats);
                    else for (int j = 0; j < per; j++) floats[j] = (float) buf.getDouble();
                    Pixels.copyChecked(floats, 0, channelsLast, shape[0], shape[1], shape[2], out, k * per, s.file().toString(), indices[k]);
                }
            }
        } catch (IOException e) {
            throw new FeintException(open < 0 ? origin : segments.get(open).file() + ": cannot read (" + e.getMessage() + ")", e);
        } finally {
            if (ch != null) try { ch.close(); } catch (IOException ignored) { /* read-only */ }
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof RecordFile r && origin.equals(r.origin) && segments.equals(r.segments) && Arrays.equals(shape, r.shape)
                && stride == r.stride && skip == r.skip && dtype == r.dtype && channelsLast == r.channelsLast;
    }

    @Override public int hashCode() { return origin.hashCode() * 31 + segments.hashCode(); }
}
