package dev.feint.onnx;

import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small ONNX exporter for Feint networks built from conv2d, linear, relu, maxpool/avgpool,
 * flatten and dropout (identity at inference), with the network's input normalisation as Sub
 * and Mul nodes when it is not the identity. The protobuf wire format is written by hand (no
 * protobuf dependency): ModelProto (IR 8, default opset 13) with one GraphProto whose weights are
 * FLOAT initializers in raw little-endian form. Input "input" [N, C, H, W] with a symbolic batch
 * dimension, output "logits" [N, classes].
 */
public final class OnnxExport {
    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;
    // AttributeProto.AttributeType
    private static final int ATTR_INT = 2, ATTR_INTS = 7;
    // TensorProto.DataType
    private static final int FLOAT = 1;

    private OnnxExport() {}

    /** Writes the network as an ONNX model file. */
    public static void write(Network net, Path file) throws IOException {
        Files.write(file, toBytes(net));
    }

    /** The network as a serialised ONNX ModelProto. */
    public static byte[] toBytes(Network net) {
        Architecture arch = net.architecture();
        Map<String, Tensor> params = net.body().namedParameters();
        Graph g = new Graph();
        String cur = "input";
        int[] in = arch.input();

        float[] mean = net.mean(), std = net.std();
        boolean identity = true;
        for (int i = 0; i < mean.length; i++) identity &= mean[i] == 0f && std[i] == 1f;
        if (!identity) {
            float[] inv = new float[std.length];
            for (int i = 0; i < std.length; i++) inv[i] = 1f / std[i];
            g.initializer("norm.mean", mean, 1, mean.length, 1, 1);
            g.initializer("norm.inv_std", inv, 1, inv.length, 1, 1);
            cur = g.node("Sub", "norm.sub", List.of(cur, "norm.mean"), List.of());
            cur = g.node("Mul", "norm.mul", List.of(cur, "norm.inv_std"), List.of());
        }

        List<LayerSpec> layers = arch.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String p = String.valueOf(i);
            switch (l.type()) {
                case "conv2d" -> {
                    int k = l.integer("kernel", null, 1, 1 << 10), s = l.integer("stride", 1, 1, 1 << 10);
                    int pad = l.integer("padding", 0, 0, 1 << 10);
                    List<String> inputs = new ArrayList<>(List.of(cur, param(g, params, p + ".weight")));
                    if (params.containsKey(p + ".bias")) inputs.add(param(g, params, p + ".bias"));
                    cur = g.node("Conv", p + ".conv", inputs, List.of(
                            ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", pad, pad, pad, pad),
                            ints("dilations", 1, 1), integer("group", 1)));
                }
                case "linear" -> {
                    List<String> inputs = new ArrayList<>(List.of(cur, param(g, params, p + ".weight")));
                    if (params.containsKey(p + ".bias")) inputs.add(param(g, params, p + ".bias"));
                    // Feint/PyTorch keep weight [out, in]: y = x W^T + b.
                    cur = g.node("Gemm", p + ".gemm", inputs, List.of(integer("transB", 1)));
                }
                case "relu" -> cur = g.node("Relu", p + ".relu", List.of(cur), List.of());
                case "maxpool", "avgpool" -> {
                    int k = l.integer("kernel", null, 1, 1 << 10), s = l.integer("stride", k, 1, 1 << 10);
                    int pad = l.integer("padding", 0, 0, 1 << 10);
                    boolean max = l.type().equals("maxpool");
                    List<byte[]> attrs = new ArrayList<>(List.of(ints("kernel_shape", k, k), ints("strides", s, s),
                            ints("pads", pad, pad, pad, pad)));
                    if (!max) attrs.add(integer("count_include_pad", 1));
                    cur = g.node(max ? "MaxPool" : "AveragePool", p + ".pool", List.of(cur), attrs);
                }
                case "flatten" -> cur = g.node("Flatten", p + ".flatten", List.of(cur), List.of(integer("axis", 1)));
                case "dropout" -> { /* identity at inference */ }
                default -> throw new dev.feint.FeintException("ONNX export does not support layer '" + l.type() + "' (layer " + i
                        + "; it exports conv2d, linear, relu, maxpool, avgpool, flatten and dropout)");
            }
        }
        // Name the final value "logits" with an Identity node.
        g.nodes.add(node("Identity", "output", List.of(cur), List.of("logits"), List.of()));

        Pb graph = new Pb();
        for (byte[] n : g.nodes) graph.bytes(1, n);
        graph.string(2, "feint-" + arch.name());
        for (byte[] t : g.initializers) graph.bytes(5, t);
        graph.bytes(11, valueInfo("input", new Object[] {"N", in[0], in[1], in[2]}));
        graph.bytes(12, valueInfo("logits", new Object[] {"N", arch.numClasses()}));

        Pb opset = new Pb().string(1, "").int64(2, OPSET);
        Pb model = new Pb().int64(1, IR_VERSION).string(2, "feint").string(3, "0.1").bytes(8, opset.toByteArray())
                .bytes(7, graph.toByteArray());
        return model.toByteArray();
    }

    private static String param(Graph g, Map<String, Tensor> params, String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalArgumentException("network has no parameter " + name);
        g.initializer(name, t.data(), t.dims());
        return name;
    }

    private static final class Graph {
        final List<byte[]> nodes = new ArrayList<>();
        final List<byte[]> initializers = new ArrayList<>();

        String node(String op, String name, List<String> inputs, List<byte[]> attrs) {
            String out = name + ".out";
            nodes.add(OnnxExport.node(op, name, inputs, List.of(out), attrs));
            return out;
        }

        void initializer(String name, float[] data, int... dims) {
            ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            Pb t = new Pb();
            for (int d : dims) t.int64(1, d);
            t.int64(2, FLOAT).string(8, name).bytes(9, b.array());
            initializers.add(t.toByteArray());
        }
    }

    private static byte[] node(String op, String name, List<String> inputs, List<String> outputs, List<byte[]> attrs) {
        Pb n = new Pb();
        for (String s : inputs) n.string(1, s);
        for (String s : outputs) n.string(2, s);
        n.string(3, name).string(4, op);
        for (byte[] a : attrs) n.bytes(5, a);
        return n.toByteArray();
    }

    private static byte[] ints(String name, long... values) {
        Pb a = new Pb().string(1, name);
        for (long v : values) a.int64(8, v);
        return a.int64(20, ATTR_INTS).toByteArray();
    }

    private static byte[] integer(String name, long v) {
        return new Pb().string(1, name).int64(3, v).int64(20, ATTR_INT).toByteArray();
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

    /** Minimal protobuf writer: varint (wire type 0) and length-delimited (wire type 2) fields. */
    static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb int64(int field, long v) {
            varint((long) field << 3);
            varint(v);
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
