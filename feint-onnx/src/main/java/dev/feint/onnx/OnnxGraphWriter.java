package dev.feint.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX graph {@link OnnxExport} builds, written in the protobuf wire format by hand (no
 * protobuf dependency): nodes with their attributes, FLOAT and INT64 initializers in raw
 * little-endian form, and the ModelProto around them (IR 8, one opset import).
 */
final class OnnxGraphWriter {
    private static final int IR_VERSION = 8;
    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS = 7;
    // TensorProto.DataType
    private static final int FLOAT = 1, INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();

    /** Adds a node {@code op} named {@code name}; returns its one output, {@code name + ".out"}. */
    String node(String op, String name, List<String> inputs, List<byte[]> attrs) {
        String out = name + ".out";
        node(op, name, inputs, out, attrs);
        return out;
    }

    /** Adds a node with the given output name. */
    void node(String op, String name, List<String> inputs, String output, List<byte[]> attrs) {
        Pb n = new Pb();
        for (String s : inputs) n.string(1, s);
        n.string(2, output).string(3, name).string(4, op);
        for (byte[] a : attrs) n.bytes(5, a);
        nodes.add(n.toByteArray());
    }

    /** A FLOAT initializer; returns its name. */
    String initializer(String name, float[] data, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        tensor(name, FLOAT, b.array(), dims);
        return name;
    }

    /** An INT64 initializer of rank 1 (shapes, axes); returns its name. */
    String int64s(String name, long... data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        tensor(name, INT64, b.array(), data.length);
        return name;
    }

    private void tensor(String name, int type, byte[] raw, int... dims) {
        Pb t = new Pb();
        for (int d : dims) t.int64(1, d);
        t.int64(2, type).string(8, name).bytes(9, raw);
        initializers.add(t.toByteArray());
    }

    static byte[] ints(String name, long... values) {
        Pb a = new Pb().string(1, name);
        for (long v : values) a.int64(8, v);
        return a.int64(20, ATTR_INTS).toByteArray();
    }

    static byte[] integer(String name, long v) {
        return new Pb().string(1, name).int64(3, v).int64(20, ATTR_INT).toByteArray();
    }

    static byte[] real(String name, float v) {
        return new Pb().string(1, name).fixed32(2, Float.floatToRawIntBits(v)).int64(20, ATTR_FLOAT).toByteArray();
    }

    /**
     * The ModelProto: graph {@code graphName} with input "input" [N, C, H, W] (N symbolic) and
     * output {@code output} [N, classes].
     */
    byte[] model(String graphName, int opset, int[] input, String output, int classes) {
        Pb graph = new Pb();
        for (byte[] n : nodes) graph.bytes(1, n);
        graph.string(2, graphName);
        for (byte[] t : initializers) graph.bytes(5, t);
        graph.bytes(11, valueInfo("input", new Object[] {"N", input[0], input[1], input[2]}));
        graph.bytes(12, valueInfo(output, new Object[] {"N", classes}));
        Pb opsets = new Pb().string(1, "").int64(2, opset);
        return new Pb().int64(1, IR_VERSION).string(2, "feint").string(3, "0.1").bytes(8, opsets.toByteArray())
                .bytes(7, graph.toByteArray()).toByteArray();
    }

    /** ValueInfoProto of a FLOAT tensor; a String dimension is symbolic. */
    private static byte[] valueInfo(String name, Object[] dims) {
        Pb shape = new Pb();
        for (Object d : dims) {
            Pb dim = new Pb();
            if (d instanceof String s) dim.string(2, s); else dim.int64(1, ((Number) d).longValue());
            shape.bytes(1, dim.toByteArray());
        }
        Pb tensorType = new Pb().int64(1, FLOAT).bytes(2, shape.toByteArray());
        Pb type = new Pb().bytes(1, tensorType.toByteArray());
        return new Pb().string(1, name).bytes(2, type.toByteArray()).toByteArray();
    }

    /** Minimal protobuf writer: varint (wire type 0), 32-bit (5) and length-delimited (2) fields. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb int64(int field, long v) {
            varint((long) field << 3);
            varint(v);
            return this;
        }

        Pb fixed32(int field, int v) {
            varint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) out.write((v >>> (8 * i)) & 0xFF);
            return this;
        }

        Pb bytes(int field, byte[] b) {
            varint(((long) field << 3) | 2);
            varint(b.length);
            out.writeBytes(b);
            return this;
        }

        Pb string(int field, String s) { return bytes(field, s.getBytes(StandardCharsets.UTF_8)); }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() { return out.toByteArray(); }
    }
}
