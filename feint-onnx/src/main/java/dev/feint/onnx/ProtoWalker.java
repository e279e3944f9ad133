package dev.feint.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.feint.FeintException;

import java.io.IOException;

/**
 * A bounded walk over one protobuf message held in a byte array: fields by number, each
 * length checked against what remains of the enclosing message before anything is allocated,
 * nesting depth bounded. Sub-messages are views into the same array (no copy).
 */
final class ProtoWalker {
    static final int MAX_DEPTH = 24;

    private final byte[] buf;
    private final int end, depth;
    private final String what;
    private final CodedInputStream in;
    private final int start;
    private int tag;

    ProtoWalker(byte[] buf, int off, int len, int depth, String what) {
        if (depth > MAX_DEPTH) throw new FeintException(what + ": messages nested deeper than " + MAX_DEPTH + " levels");
        this.buf = buf;
        this.start = off;
        this.end = off + len;
        this.depth = depth;
        this.what = what;
        this.in = CodedInputStream.newInstance(buf, off, len);
    }

    /** The next field's number, or 0 at the end of the message. */
    int next() {
        try {
            tag = in.readTag();
            return tag == 0 ? 0 : WireFormat.getTagFieldNumber(tag);
        } catch (IOException e) {
            throw bad("unreadable field tag (" + e.getMessage() + ")");
        }
    }

    int wireType() { return WireFormat.getTagWireType(tag); }

    long varint() {
        expect(WireFormat.WIRETYPE_VARINT);
        try {
            return in.readRawVarint64();
        } catch (IOException e) {
            throw bad("truncated integer (the file ends early or is not ONNX)");
        }
    }

    float fixed32Float() {
        expect(WireFormat.WIRETYPE_FIXED32);
        try {
            return in.readFloat();
        } catch (IOException e) {
            throw bad("truncated float (the file ends early or is not ONNX)");
        }
    }

    /** A length-delimited field's length, checked against what remains; the position is at its first byte. */
    private int length() {
        expect(WireFormat.WIRETYPE_LENGTH_DELIMITED);
        long n;
        try {
            n = in.readRawVarint64();
        } catch (IOException e) {
            throw bad("truncated length (the file ends early or is not ONNX)");
        }
        long left = end - position();
        if (n < 0 || n > left)
            throw bad("a field declares " + n + " bytes but only " + left + " remain");
        return (int) n;
    }

    private int position() { return start + in.getTotalBytesRead(); }

    private void skip(int n) {
        try {
            in.skipRawBytes(n);
        } catch (IOException e) {
            throw bad("truncated field (the file ends early or is not ONNX)");
        }
    }

    /** A sub-message as its own walker; this walker moves past it. */
    ProtoWalker message(String name) {
        int n = length(), at = position();
        skip(n);
        return new ProtoWalker(buf, at, n, depth + 1, what + " > " + name);
    }

    /** A length-delimited field as [offset, length] into {@link #buffer()}, skipped. */
    int[] slice() {
        int n = length(), at = position();
        skip(n);
        return new int[] {at, n};
    }

    byte[] buffer() { return buf; }

    String string() {
        int[] s = slice();
        return new String(buf, s[0], s[1], java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A repeated int64 field, packed or not: appends to out. */
    void int64s(LongList out) {
        if (wireType() == WireFormat.WIRETYPE_VARINT) { out.add(varint()); return; }
        int[] s = slice();
        CodedInputStream p = CodedInputStream.newInstance(buf, s[0], s[1]);
        try {
            while (!p.isAtEnd()) out.add(p.readRawVarint64());
        } catch (IOException e) {
            throw bad("truncated packed integers (the file ends early or is not ONNX)");
        }
    }

    /** A repeated float field, packed or not: appends to out. */
    void floats(FloatList out) {
        if (wireType() == WireFormat.WIRETYPE_FIXED32) { out.add(fixed32Float()); return; }
        int[] s = slice();
        if (s[1] % 4 != 0) throw bad("packed floats of " + s[1] + " bytes (not a multiple of 4)");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, s[0], s[1]).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.ensure(s[1] / 4);
        for (int i = 0; i < s[1] / 4; i++) out.add(b.getFloat());
    }

    /** A repeated double field, packed or not: appends to out (as float). */
    void doubles(FloatList out) {
        if (wireType() == WireFormat.WIRETYPE_FIXED64) {
            try { out.add((float) in.readDouble()); } catch (IOException e) { throw bad("truncated double (the file ends early or is not ONNX)"); }
            return;
        }
        int[] s = slice();
        if (s[1] % 8 != 0) throw bad("packed doubles of " + s[1] + " bytes (not a multiple of 8)");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, s[0], s[1]).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.ensure(s[1] / 8);
        for (int i = 0; i < s[1] / 8; i++) out.add((float) b.getDouble());
    }

    /** Skips a field this reader does not use. */
    void skipField() {
        try {
            if (!in.skipField(tag)) throw bad("unexpected end-group tag");
        } catch (IOException e) {
            throw bad("truncated field (" + e.getMessage() + ")");
        }
    }

    private void expect(int wire) {
        if (wireType() != wire)
            throw bad("field " + WireFormat.getTagFieldNumber(tag) + " has wire type " + wireType() + ", expected " + wire);
    }

    FeintException bad(String msg) { return new FeintException(what + ": " + msg); }

    /** A growable long array. */
    static final class LongList {
        long[] a = new long[4];
        int n;

        void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        long[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    /** A growable float array. */
    static final class FloatList {
        float[] a = new float[4];
        int n;

        void ensure(int more) {
            if (n + more > a.length) a = java.util.Arrays.copyOf(a, Math.max(n + more, a.length * 2));
        }

        void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        float[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
