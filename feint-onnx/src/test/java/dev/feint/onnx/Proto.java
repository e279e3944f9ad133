package dev.feint.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Writes protobuf messages field by field, for hand-made (and malformed) ONNX files in tests. */
final class Proto {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

    Proto varint(int field, long v) {
        try { out.writeInt64(field, v); } catch (IOException e) { throw new IllegalStateException(e); }
        return this;
    }

    Proto string(int field, String s) {
        try { out.writeString(field, s); } catch (IOException e) { throw new IllegalStateException(e); }
        return this;
    }

    Proto bytes(int field, byte[] b) {
        try { out.writeByteArray(field, b); } catch (IOException e) { throw new IllegalStateException(e); }
        return this;
    }

    Proto message(int field, Proto m) { return bytes(field, m.toBytes()); }

    /** Appends already-encoded fields. */
    Proto raw(byte[] fields) {
        try { out.writeRawBytes(fields); } catch (IOException e) { throw new IllegalStateException(e); }
        return this;
    }

    Proto floatField(int field, float v) {
        try { out.writeFloat(field, v); } catch (IOException e) { throw new IllegalStateException(e); }
        return this;
    }

    byte[] toBytes() {
        try { out.flush(); } catch (IOException e) { throw new IllegalStateException(e); }
        return buf.toByteArray();
    }

    // ---- ONNX pieces -------------------------------------------------------------------------

    static Proto model(long opset, Proto graph) {
        return new Proto().varint(1, 8).string(2, "test").message(7, graph).message(8, new Proto().string(1, "").varint(2, opset));
    }

    static Proto node(String op, String name, String[] ins, String[] outs) {
        Proto n = new Proto();
        for (String i : ins) n.string(1, i);
        for (String o : outs) n.string(2, o);
        return n.string(3, name).string(4, op);
    }

    /** A float tensor value-info [dims] (-1: symbolic). */
    static Proto valueInfo(String name, int elemType, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) shape.message(1, d < 0 ? new Proto().string(2, "batch") : new Proto().varint(1, d));
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, elemType).message(2, shape)));
    }

    static Proto floatTensor(String name, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) t.varint(1, d);
        return t.varint(2, DataType.FLOAT).string(8, name).bytes(9, raw);
    }
}
