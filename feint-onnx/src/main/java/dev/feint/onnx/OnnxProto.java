package dev.feint.onnx;

import dev.feint.FeintException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of ONNX's ModelProto that Feint reads, walked field by field (numbers from
 * onnx.proto; no generated classes). Every tensor's declared size is checked against the bytes
 * it brings before its array is allocated; external data and sparse initializers are refused.
 */
public final class OnnxProto {
    private OnnxProto() {}

    /**
     * A whole model.
     *
     * @param irVersion the ONNX IR version
     * @param opsets opset versions by domain ("" for the default domain)
     * @param producer the producing tool's name, "" if none
     * @param graph the main graph
     * @param metadata the model's metadata_props
     */
    public record Model(long irVersion, Map<String, Long> opsets, String producer, Graph graph, Map<String, String> metadata) {
        /** {@return the default domain's opset version} */
        public long opset() { return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 1L)); }
    }

    /**
     * A graph.
     *
     * @param name the graph's name
     * @param nodes the nodes in file order (topological, as ONNX requires)
     * @param initializers the stored tensors (weights, constants)
     * @param inputs the graph inputs, initializers included when the file lists them
     * @param outputs the graph outputs
     */
    public record Graph(String name, List<Node> nodes, List<TensorData> initializers, List<ValueInfo> inputs,
                        List<ValueInfo> outputs) {}

    /**
     * A node.
     *
     * @param name the node's name, "" if none
     * @param opType the op, e.g. {@code Conv}
     * @param domain the op's domain, "" for the default
     * @param inputs the names of the values it reads ("" for an omitted optional input)
     * @param outputs the names of the values it writes
     * @param attributes the attributes by name
     */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {}

    /**
     * One attribute; only the fields of its type are set.
     *
     * @param name the attribute's name
     * @param type the ONNX AttributeType number
     * @param f a float value
     * @param i an integer value
     * @param s a string value
     * @param t a tensor value
     * @param floats a list of floats
     * @param ints a list of integers
     * @param strings a list of strings
     * @param graphs how many nested graphs it holds (refused by the importer)
     */
    public record Attribute(String name, int type, float f, long i, String s, TensorData t, float[] floats, long[] ints,
                            List<String> strings, int graphs) {}

    /**
     * A graph input or output.
     *
     * @param name the value's name
     * @param elemType the ONNX TensorProto element type number (1: float)
     * @param dims the dims, -1 where symbolic, null if the rank is unknown
     */
    public record ValueInfo(String name, int elemType, long[] dims) {}

    static Model parseModel(byte[] bytes, String file) {
        ProtoWalker w = new ProtoWalker(bytes, 0, bytes.length, 0, file);
        long ir = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        String producer = "";
        Graph g = null;
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> ir = w.varint();
                case 2 -> producer = w.string();
                case 7 -> g = graph(w.message("graph"));
                case 8 -> {
                    ProtoWalker o = w.message("opset_import");
                    String domain = "";
                    long v = 0;
                    for (int k; (k = o.next()) != 0; ) {
                        if (k == 1) domain = o.string();
                        else if (k == 2) v = o.varint();
                        else o.skipField();
                    }
                    opsets.put(domain, v);
                }
                case 14 -> {
                    ProtoWalker e = w.message("metadata_props");
                    String k = "", v = "";
                    for (int n; (n = e.next()) != 0; ) {
                        if (n == 1) k = e.string();
                        else if (n == 2) v = e.string();
                        else e.skipField();
                    }
                    meta.put(k, v);
                }
                default -> w.skipField();
            }
        }
        if (g == null) throw new FeintException(file + ": not an ONNX model (no graph)");
        return new Model(ir, opsets, producer, g, meta);
    }

    static Graph graph(ProtoWalker w) {
        List<Node> nodes = new ArrayList<>();
        List<TensorData> inits = new ArrayList<>();
        List<ValueInfo> ins = new ArrayList<>(), outs = new ArrayList<>();
        String name = "";
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> nodes.add(node(w.message("node " + nodes.size())));
                case 2 -> name = w.string();
                case 5 -> inits.add(tensor(w.message("initializer " + inits.size())));
                case 11 -> ins.add(valueInfo(w.message("input")));
                case 12 -> outs.add(valueInfo(w.message("output")));
                case 15 -> throw w.bad("sparse initializers are not supported");
                default -> w.skipField();
            }
        }
        return new Graph(name, nodes, inits, ins, outs);
    }

    static Node node(ProtoWalker w) {
        List<String> ins = new ArrayList<>(), outs = new ArrayList<>();
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        String name = "", op = "", domain = "";
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> ins.add(w.string());
                case 2 -> outs.add(w.string());
                case 3 -> name = w.string();
                case 4 -> op = w.string();
                case 7 -> domain = w.string();
                case 5 -> {
                    Attribute a = attribute(w.message("attribute"));
                    attrs.put(a.name(), a);
                }
                default -> w.skipField();
            }
        }
        return new Node(name, op, domain, ins, outs, attrs);
    }

    static Attribute attribute(ProtoWalker w) {
        String name = "", s = null;
        int type = 0, graphs = 0;
        float fv = 0;
        long iv = 0;
        TensorData t = null;
        ProtoWalker.FloatList floats = new ProtoWalker.FloatList();
        ProtoWalker.LongList ints = new ProtoWalker.LongList();
        List<String> strings = new ArrayList<>();
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> name = w.string();
                case 20 -> type = (int) w.varint();
                case 2 -> fv = w.fixed32Float();
                case 3 -> iv = w.varint();
                case 4 -> s = w.string();
                case 5 -> t = tensor(w.message("attribute tensor"));
                case 6, 11 -> { graphs++; w.skipField(); }
                case 7 -> w.floats(floats);
                case 8 -> w.int64s(ints);
                case 9 -> strings.add(w.string());
                default -> w.skipField();
            }
        }
        return new Attribute(name, type, fv, iv, s, t, floats.toArray(), ints.toArray(), strings, graphs);
    }

    static ValueInfo valueInfo(ProtoWalker w) {
        String name = "";
        int elem = 0;
        long[] dims = null;
        for (int f; (f = w.next()) != 0; ) {
            if (f == 1) name = w.string();
            else if (f == 2) {
                ProtoWalker type = w.message("type");
                for (int k; (k = type.next()) != 0; ) {
                    if (k != 1) { type.skipField(); continue; }
                    ProtoWalker tt = type.message("tensor_type");
                    for (int j; (j = tt.next()) != 0; ) {
                        if (j == 1) elem = (int) tt.varint();
                        else if (j == 2) {
                            ProtoWalker shape = tt.message("shape");
                            ProtoWalker.LongList d = new ProtoWalker.LongList();
                            for (int q; (q = shape.next()) != 0; ) {
                                if (q != 1) { shape.skipField(); continue; }
                                ProtoWalker dim = shape.message("dim");
                                long v = -1;
                                for (int r; (r = dim.next()) != 0; ) {
                                    if (r == 1) v = dim.varint();
                                    else dim.skipField();
                                }
                                d.add(v);
                            }
                            dims = d.toArray();
                        } else tt.skipField();
                    }
                }
            } else w.skipField();
        }
        return new ValueInfo(name, elem, dims);
    }

    static TensorData tensor(ProtoWalker w) {
        ProtoWalker.LongList dims = new ProtoWalker.LongList(), int64s = new ProtoWalker.LongList(), int32s = new ProtoWalker.LongList();
        ProtoWalker.FloatList floats = new ProtoWalker.FloatList(), doubles = new ProtoWalker.FloatList();
        int type = 0;
        String name = "";
        int[] raw = null;
        boolean external = false;
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> w.int64s(dims);
                case 2 -> type = (int) w.varint();
                case 4 -> w.floats(floats);
                case 5 -> w.int64s(int32s);
                case 7 -> w.int64s(int64s);
                case 8 -> name = w.string();
                case 9 -> raw = w.slice();
                case 10 -> w.doubles(doubles);
                case 11 -> w.int64s(int64s);
                case 13 -> { external = true; w.skipField(); }
                case 14 -> external |= w.varint() == 1;
                default -> w.skipField();
            }
        }
        String what = "tensor '" + name + "'";
        if (external) throw w.bad(what + " keeps its data in an external file; external data is not supported (save the model with its data inside)");
        int[] shape = TensorData.checkedDims(dims.toArray(), w, what);
        long count = 1;
        for (int d : shape) count *= d;
        int size = DataType.byteSize(type, w, what);
        float[] data;
        if (raw != null) {
            if (raw[1] != count * size)
                throw w.bad(what + " declares " + count + " elements of " + size + " bytes (" + count * size
                        + " bytes) but its raw_data holds " + raw[1]);
            data = DataType.decodeRaw(type, w.buffer(), raw[0], (int) count);
        } else {
            int have = switch (type) {
                case DataType.FLOAT -> floats.n;
                case DataType.DOUBLE -> doubles.n;
                case DataType.INT64, DataType.UINT32, DataType.UINT64 -> int64s.n;
                default -> int32s.n;
            };
            if (have != count) throw w.bad(what + " declares " + count + " elements but holds " + have);
            data = switch (type) {
                case DataType.FLOAT -> floats.toArray();
                case DataType.DOUBLE -> doubles.toArray();
                case DataType.INT64, DataType.UINT32, DataType.UINT64 -> DataType.fromLongs(int64s.toArray());
                case DataType.FLOAT16, DataType.BFLOAT16 -> DataType.fromHalfBits(type, int32s.toArray());
                default -> DataType.fromLongs(int32s.toArray());
            };
        }
        return new TensorData(name, type, shape, data);
    }
}
