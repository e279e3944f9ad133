package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.nn.Fusion;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an ONNX file into a Feint {@link Graph}: float initializers become named parameters
 * (BatchNormalization's mean and variance buffers), integer ones constants, nodes whose inputs
 * are all constants are folded at load, and the rest become graph nodes on Feint's autodiff,
 * fused where {@link Fusion} applies. The file is untrusted: its size is bounded, every declared
 * length checked, and anything unsupported is one {@link FeintException} naming it.
 */
public final class OnnxImport {
    /** Files larger than this are refused before they are read. */
    public static final long MAX_FILE_BYTES = 1L << 30;
    /** More nodes than this is refused (no classifier comes close). */
    public static final int MAX_NODES = 100_000;
    static final long MIN_OPSET = 1, MAX_OPSET = 21;

    private static final Map<String, Converter> CONVERTERS = new HashMap<>();
    /**
     * Float inputs that are settings, not weights (no gradient reaches them): an initializer read
     * only in these places is a constant, so fine-tuning (weight decay included) leaves it alone.
     */
    private static final Map<String, Set<Integer>> SETTINGS = Map.of("Clip", Set.of(1, 2), "Resize", Set.of(1, 2),
            "Upsample", Set.of(1), "Pad", Set.of(2), "Dropout", Set.of(1));

    static {
        NnConverters.register(CONVERTERS);
        MathConverters.register(CONVERTERS);
        ShapeConverters.register(CONVERTERS);
        NormalizationConverters.register(CONVERTERS);
        ResizeConverters.register(CONVERTERS);
    }

    private OnnxImport() {}

    /** {@return the op types Feint imports, sorted} */
    public static Set<String> supportedOps() { return Collections.unmodifiableSet(new TreeSet<>(CONVERTERS.keySet())); }

    /**
     * What was imported.
     *
     * @param graph the Feint graph the ONNX nodes became (after fusion)
     * @param model the file's model description: IR version, opsets, producer, nodes, metadata
     * @param opHistogram how many nodes of each op type the file has
     */
    public record Imported(Graph graph, OnnxProto.Model model, Map<String, Integer> opHistogram) {
        /** {@return the ONNX nodes that run inside fused kernels, one "Conv + Relu + MaxPool" entry per fused op} */
        public List<String> fusedNodes() {
            List<String> out = new ArrayList<>();
            for (Graph.GraphNode n : graph.nodes()) {
                if (n.op() instanceof dev.feint.nn.GraphOps.ConvReluPool c) out.add(String.join(" + ", c.fused()));
                if (n.op() instanceof dev.feint.nn.GraphOps.LinearRelu l) out.add(String.join(" + ", l.fused()));
                if (n.op() instanceof dev.feint.nn.GraphOps.ConvClip c) out.add(String.join(" + ", c.fused()));
                if (n.op() instanceof dev.feint.nn.GraphOps.AddRelu a) out.add(String.join(" + ", a.fused()));
                if (n.op() instanceof dev.feint.nn.GraphOps.InvertedResidualBlock b) out.add(String.join(" + ", b.fused()));
            }
            return out;
        }
    }

    /**
     * Imports the ONNX graph in {@code file}, read within a size bound and parsed by a bounded protobuf walk.
     *
     * @param file the {@code .onnx} file
     * @return the graph and the file's description
     * @throws dev.feint.FeintException naming the file when it is too large, malformed or uses an op Feint does not import
     */
    public static Imported load(Path file) {
        byte[] bytes = dev.feint.io.internal.InputFiles.readBytes(file, MAX_FILE_BYTES, "an ONNX model");
        return fromBytes(bytes, file.toString());
    }

    /**
     * Imports a serialised ONNX model already in memory.
     *
     * @param bytes the ONNX file's bytes
     * @param name what messages call the model
     * @return the graph and the model's description
     */
    public static Imported fromBytes(byte[] bytes, String name) { return fromBytes(bytes, name, false); }

    /** {@code anyGraph}: also integer inputs and graphs without inputs (the ONNX node tests have both). */
    static Imported fromBytes(byte[] bytes, String name, boolean anyGraph) {
        OnnxProto.Model m = OnnxProto.parseModel(bytes, name);
        try {
            return new Imported(Fusion.apply(convert(m, name, anyGraph)), m, histogram(m.graph()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new FeintException(name + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> histogram(OnnxProto.Graph g) {
        Map<String, Integer> h = new java.util.TreeMap<>();
        for (OnnxProto.Node n : g.nodes()) h.merge(n.opType(), 1, Integer::sum);
        return h;
    }

    private static Graph convert(OnnxProto.Model m, String file, boolean anyGraph) {
        long opset = m.opset();
        if (opset < MIN_OPSET || opset > MAX_OPSET)
            throw new FeintException(file + ": opset " + opset + " (Feint reads opsets " + MIN_OPSET + " to " + MAX_OPSET + ")");
        OnnxProto.Graph g = m.graph();
        if (g.nodes().size() > MAX_NODES) throw new FeintException(file + ": " + g.nodes().size() + " nodes, more than " + MAX_NODES);
        Graph.Builder b = Graph.builder();
        Map<String, Tensor> known = new HashMap<>();           // values known at load: initializers and folded constants
        Map<String, Integer> types = new HashMap<>();
        Set<String> params = new HashSet<>(), buffers = new HashSet<>();
        for (OnnxProto.Node n : g.nodes())
            if (n.opType().equals("BatchNormalization"))
                for (int k = 3; k < Math.min(5, n.inputs().size()); k++) buffers.add(n.inputs().get(k));
        Set<String> weights = new HashSet<>();                // float initializers some node reads as more than a setting
        for (OnnxProto.Node n : g.nodes())
            for (int k = 0; k < n.inputs().size(); k++)
                if (!SETTINGS.getOrDefault(n.opType(), Set.of()).contains(k)) weights.add(n.inputs().get(k));
        weights.addAll(outputsOf(g));
        for (TensorData t : g.initializers()) {
            if (known.containsKey(t.name())) throw new FeintException(file + ": initializer '" + t.name() + "' appears twice");
            Tensor v = t.toTensor();
            known.put(t.name(), v);
            types.put(t.name(), t.dataType());
            if (DataType.isFloat(t.dataType())) {
                if (buffers.contains(t.name())) b.buffer(t.name(), v);
                else if (!weights.contains(t.name())) b.constant(t.name(), v);
                else { b.parameter(t.name(), v); params.add(t.name()); }
            } else b.constant(t.name(), v);
        }
        List<String> inputs = new ArrayList<>();
        for (OnnxProto.ValueInfo vi : g.inputs()) {
            if (known.containsKey(vi.name())) continue;              // older exporters list initializers as inputs
            if (vi.elemType() == 0 && vi.dims() == null)
                throw new FeintException(file + ": input '" + vi.name() + "' is not a tensor (a sequence, map or optional); Feint takes tensor inputs");
            if (!anyGraph && vi.elemType() != 0 && !DataType.isFloat(vi.elemType()))
                throw new FeintException(file + ": input '" + vi.name() + "' has type " + DataType.name(vi.elemType()) + "; Feint's models take float inputs");
            inputs.add(vi.name());
            types.put(vi.name(), vi.elemType() == 0 ? DataType.FLOAT : vi.elemType());
            b.input(vi.name());
        }
        if (inputs.isEmpty() && !anyGraph) throw new FeintException(file + ": the graph has no inputs");
        // Check the order (and undefined inputs, cycles) on placeholder nodes before converting.
        List<Graph.GraphNode> placeholders = new ArrayList<>();
        Map<Graph.GraphNode, OnnxProto.Node> source = new java.util.IdentityHashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            OnnxProto.Node n = g.nodes().get(i);
            Graph.GraphNode p = new Graph.GraphNode(n.name().isEmpty() ? n.opType() + "_" + i : n.name(), null, n.inputs(), n.outputs());
            placeholders.add(p);
            source.put(p, n);
        }
        Set<String> defined = new HashSet<>(known.keySet());
        List<String> outputs = new ArrayList<>();
        for (OnnxProto.ValueInfo vi : g.outputs()) outputs.add(vi.name());
        List<Graph.GraphNode> ordered;
        try {
            ordered = Graph.topologicalOrder(placeholders, inputs, defined, outputs);
        } catch (IllegalArgumentException e) {
            throw new FeintException(file + ": " + e.getMessage());
        }
        for (Graph.GraphNode p : ordered) {
            OnnxProto.Node n = source.get(p);
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx"))
                throw unsupported(n, p.name(), opset, "domain '" + n.domain() + "'");
            for (OnnxProto.Attribute a : n.attributes().values())
                if (a.graphs() > 0) throw new FeintException(file + ": " + n.opType() + " node '" + p.name()
                        + "' has a nested subgraph (attribute '" + a.name() + "'); control flow (If, Loop, Scan) is not supported");
            Converter c = CONVERTERS.get(n.opType());
            if (c == null) throw unsupported(n, p.name(), opset, null);
            int need = Arity.required(n.opType(), opset), have = 0;
            for (int k = 0; k < n.inputs().size(); k++) if (k < need && !n.inputs().get(k).isEmpty()) have++;
            if (have < need) throw new FeintException(file + ": " + n.opType() + " node '" + p.name() + "' (opset " + opset + ") has "
                    + have + " of its " + need + " required input(s)");
            int[] inTypes = new int[n.inputs().size()];
            Tensor[] inKnown = new Tensor[n.inputs().size()];
            boolean constant = true;
            for (int k = 0; k < inTypes.length; k++) {
                String in = n.inputs().get(k);
                if (in.isEmpty()) continue;
                inTypes[k] = types.getOrDefault(in, 0);
                inKnown[k] = known.get(in);
                constant &= inKnown[k] != null && !params.contains(in) && !buffers.contains(in);
            }
            OnnxProto.Node named = new OnnxProto.Node(p.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), n.attributes());
            OnnxNode on = new OnnxNode(named, opset, inTypes, inKnown);
            Graph.Op op = c.convert(on);
            int outType = OutputTypes.of(on);
            for (String o : n.outputs()) if (!o.isEmpty()) types.put(o, outType);
            if (constant) {                                          // fold now: no input changes at run time
                Tensor[] v;
                try (var ng = Grad.noGrad()) {
                    v = op.apply(inKnown, false);
                } catch (IllegalArgumentException e) {
                    throw on.fail(e.getMessage());
                }
                for (int k = 0; k < n.outputs().size(); k++) {
                    String o = n.outputs().get(k);
                    if (o.isEmpty()) continue;
                    known.put(o, v[k]);
                    b.constant(o, v[k]);
                }
            } else b.node(p.name(), checked(op, on), n.inputs(), n.outputs());
        }
        for (String o : outputs) b.output(o);
        return b.build();
    }

    private static List<String> outputsOf(OnnxProto.Graph g) {
        List<String> out = new ArrayList<>();
        for (OnnxProto.ValueInfo vi : g.outputs()) out.add(vi.name());
        return out;
    }

    /** The op with run-time shape errors reported against its node. */
    private static Graph.Op checked(Graph.Op op, OnnxNode n) {
        if (op instanceof dev.feint.nn.GraphOps.Conv || op instanceof dev.feint.nn.GraphOps.Linear
                || op instanceof dev.feint.nn.GraphOps.Relu || op instanceof dev.feint.nn.GraphOps.MaxPool
                || op instanceof dev.feint.nn.GraphOps.Clip || op instanceof dev.feint.nn.GraphOps.Add) return op;  // fusable: keep the type
        return (in, tr) -> {
            try {
                return op.apply(in, tr);
            } catch (IllegalArgumentException e) {
                throw n.fail(e.getMessage());
            }
        };
    }

    private static FeintException unsupported(OnnxProto.Node n, String name, long opset, String why) {
        return new FeintException("unsupported op " + (n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType()
                + " (node '" + name + "', opset " + opset + ")" + (why == null ? "" : ", " + why)
                + "; Feint supports: " + String.join(", ", supportedOps()));
    }
}
