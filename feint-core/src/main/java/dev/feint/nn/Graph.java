package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as a DAG of named nodes over Feint's tensors and autodiff: each node applies an
 * {@link Op} to named values and defines named values; parameters (trainable), buffers (running
 * statistics) and constants are named values too. Nodes run in topological order, fixed when
 * the graph is built, and each intermediate is dropped after its last use.
 *
 * <p>Parameters and buffers keep the names they are given (an ONNX initializer name, a PyTorch
 * {@code state_dict} key), so {@link #namedParameters()} lists them as the source did.
 *
 * <pre>{@code
 * Graph g = Graph.builder().input("x").parameter("fc.weight", w).parameter("fc.bias", b)
 *         .node("fc", new GraphOps.Linear(), List.of("x", "fc.weight", "fc.bias"), List.of("z"))
 *         .output("z").build();
 * Tensor logits = g.forward(x);
 * }</pre>
 */
public final class Graph extends Module {
    /** What a node computes: outputs from inputs (an absent optional input is null). */
    @FunctionalInterface
    public interface Op {
        /**
         * Computes the node's outputs.
         *
         * @param inputs the values the node reads, in its input order (null for an absent optional one)
         * @param training whether the graph runs in training mode
         * @return the values the node defines, in its output order
         */
        Tensor[] apply(Tensor[] inputs, boolean training);
    }

    /**
     * A node: its name, op, the values it reads and the values it defines.
     *
     * @param name    the node's name, for messages
     * @param op      what it computes
     * @param inputs  the names of the values it reads ("" for an absent optional input)
     * @param outputs the names of the values it defines
     */
    public record GraphNode(String name, Op op, List<String> inputs, List<String> outputs) {
        /** Copies the name lists. */
        public GraphNode {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    private final List<String> inputs, outputs;
    private final Map<String, Tensor> values;      // parameters, buffers and constants
    private final List<GraphNode> nodes;           // in execution order
    private final int[][] lastUse;                 // per node: the values (indices into names) that die after it
    private final List<String> dying;

    private Graph(List<String> inputs, List<String> outputs, Map<String, Tensor> params, Map<String, Tensor> buffers,
                  Map<String, Tensor> constants, List<GraphNode> nodes) {
        for (var e : params.entrySet()) param(e.getKey(), e.getValue());
        for (var e : buffers.entrySet()) buffer(e.getKey(), e.getValue().data());
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        LinkedHashMap<String, Tensor> v = new LinkedHashMap<>(constants);
        v.putAll(params);
        v.putAll(buffers);
        this.values = v;
        this.nodes = List.copyOf(nodes);
        // Which intermediates can be dropped after each node (never a graph output or a stored value).
        HashMap<String, Integer> last = new HashMap<>();
        for (int i = 0; i < this.nodes.size(); i++) for (String s : this.nodes.get(i).inputs) if (!s.isEmpty()) last.put(s, i);
        dying = new ArrayList<>();
        lastUse = new int[this.nodes.size()][];
        List<List<Integer>> per = new ArrayList<>();
        for (int i = 0; i < this.nodes.size(); i++) per.add(new ArrayList<>());
        for (var e : last.entrySet()) {
            if (values.containsKey(e.getKey()) || this.outputs.contains(e.getKey())) continue;
            per.get(e.getValue()).add(dying.size());
            dying.add(e.getKey());
        }
        for (int i = 0; i < lastUse.length; i++) lastUse[i] = per.get(i).stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@return a builder of a new graph} */
    public static Builder builder() { return new Builder(); }

    /** {@return the names of the graph's inputs} */
    public List<String> inputNames() { return inputs; }

    /** {@return the names of the graph's outputs} */
    public List<String> outputNames() { return outputs; }

    /** {@return the nodes in execution order} */
    public List<GraphNode> nodes() { return nodes; }

    /**
     * A stored value (parameter, buffer or constant) by name, or null.
     *
     * @param name the value's name
     * @return the value, or null if none is stored under that name
     */
    public Tensor value(String name) { return values.get(name); }

    /** {@return the stored values by name (parameters, buffers and constants), in the order given} */
    public Map<String, Tensor> storedValues() { return Collections.unmodifiableMap(values); }

    /**
     * Runs the graph on named inputs and returns its named outputs.
     *
     * @param feed a tensor for each graph input, by name
     * @return the graph outputs by name
     * @throws IllegalArgumentException if an input is not given
     */
    public Map<String, Tensor> run(Map<String, Tensor> feed) {
        // The intermediates only: stored values are looked up where they are (copying a ResNet's
        // hundreds of them into every call's map cost more than a batch-one op).
        HashMap<String, Tensor> env = new HashMap<>();
        for (String in : inputs) {
            Tensor t = feed.get(in);
            if (t == null) throw new IllegalArgumentException("graph input '" + in + "' not given (inputs: " + inputs + ")");
            env.put(in, t);
        }
        boolean training = isTraining();
        for (int i = 0; i < nodes.size(); i++) {
            GraphNode n = nodes.get(i);
            Tensor[] in = new Tensor[n.inputs.size()];
            for (int k = 0; k < in.length; k++) in[k] = n.inputs.get(k).isEmpty() ? null : lookup(env, n.inputs.get(k));
            Tensor[] out = n.op.apply(in, training);
            if (out.length < n.outputs.size())
                throw new IllegalStateException("node '" + n.name + "' gave " + out.length + " outputs, expected " + n.outputs.size());
            for (int k = 0; k < n.outputs.size(); k++) if (!n.outputs.get(k).isEmpty()) env.put(n.outputs.get(k), out[k]);
            for (int d : lastUse[i]) env.remove(dying.get(d));
        }
        LinkedHashMap<String, Tensor> res = new LinkedHashMap<>();
        for (String o : outputs) res.put(o, lookup(env, o));
        return res;
    }

    /** An intermediate or input of this call, else a stored value (an input may shadow one). */
    private Tensor lookup(Map<String, Tensor> env, String name) {
        Tensor t = env.get(name);
        return t != null || env.containsKey(name) ? t : values.get(name);
    }

    /** The single output for the single input. */
    @Override public Tensor forward(Tensor x) {
        if (inputs.size() != 1 || outputs.size() != 1)
            throw new IllegalStateException("forward(x) needs one input and one output, graph has " + inputs + " -> " + outputs);
        return run(Map.of(inputs.get(0), x)).get(outputs.get(0));
    }

    /**
     * The same values with the nodes replaced (a pass's result); order is recomputed and checked.
     *
     * @param newNodes the nodes of the new graph, in any order
     * @return the new graph, in this graph's mode
     */
    public Graph withNodes(List<GraphNode> newNodes) {
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>(namedParameters()), b = new LinkedHashMap<>(), c = new LinkedHashMap<>();
        var bufs = namedBuffers();
        for (var e : values.entrySet()) {
            if (p.containsKey(e.getKey())) continue;
            if (bufs.containsKey(e.getKey())) b.put(e.getKey(), e.getValue());
            else c.put(e.getKey(), e.getValue());
        }
        Graph g = new Graph(inputs, outputs, p, b, c, topologicalOrder(newNodes, inputs, values.keySet(), outputs));
        g.setTraining(isTraining());
        return g;
    }

    /**
     * Kahn's order; rejects a value defined twice, an input nobody defines, a cycle and an
     * output nobody computes, each naming the node or value.
     *
     * @param nodes the nodes, in any order
     * @param inputs the graph's input names
     * @param stored the names of the stored values
     * @param outputs the graph's output names
     * @return the nodes in an order where every value is defined before it is read
     * @throws IllegalArgumentException naming the node or value that breaks the graph
     */
    public static List<GraphNode> topologicalOrder(List<GraphNode> nodes, List<String> inputs, java.util.Set<String> stored, List<String> outputs) {
        HashMap<String, Integer> producer = new HashMap<>();
        for (String s : inputs) producer.put(s, -1);
        for (String s : stored) producer.put(s, -1);
        for (int i = 0; i < nodes.size(); i++)
            for (String o : nodes.get(i).outputs) {
                if (o.isEmpty()) continue;
                if (producer.containsKey(o))
                    throw new IllegalArgumentException("value '" + o + "' is defined twice (again by node '" + nodes.get(i).name + "')");
                producer.put(o, i);
            }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) users.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++)
            for (String in : nodes.get(i).inputs) {
                if (in.isEmpty()) continue;
                Integer p = producer.get(in);
                if (p == null)
                    throw new IllegalArgumentException("node '" + nodes.get(i).name + "' reads '" + in + "', which no input, initializer or node defines");
                if (p >= 0) { pending[i]++; users.get(p).add(i); }
            }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) if (pending[i] == 0) ready.add(i);
        List<GraphNode> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int u : users.get(i)) if (--pending[u] == 0) ready.add(u);
        }
        if (out.size() < nodes.size())
            for (int i = 0; i < nodes.size(); i++)
                if (pending[i] > 0) throw new IllegalArgumentException("the graph has a cycle through node '" + nodes.get(i).name + "'");
        for (String o : outputs)
            if (!producer.containsKey(o)) throw new IllegalArgumentException("graph output '" + o + "' is computed by no node");
        return out;
    }

    /** Collects inputs, stored values and nodes (in any order) and builds a checked graph. */
    public static final class Builder {
        private final List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>(), buffers = new LinkedHashMap<>(),
                constants = new LinkedHashMap<>();
        private final List<GraphNode> nodes = new ArrayList<>();

        /** An empty builder; {@link Graph#builder()} is the usual way to get one. */
        public Builder() {}

        /**
         * Declares a graph input.
         *
         * @param name the input's name
         * @return this builder
         */
        public Builder input(String name) { inputs.add(name); return this; }

        /**
         * Declares a graph output.
         *
         * @param name the output's name, defined by some node
         * @return this builder
         */
        public Builder output(String name) { outputs.add(name); return this; }

        /**
         * A trainable value (its gradient is kept).
         *
         * @param name the value's name (its state_dict key)
         * @param t the tensor
         * @return this builder
         */
        public Builder parameter(String name, Tensor t) { params.put(name, t); return this; }

        /**
         * A non-trainable state value saved with the model (running statistics).
         *
         * @param name the value's name
         * @param t the tensor
         * @return this builder
         */
        public Builder buffer(String name, Tensor t) { buffers.put(name, t); return this; }

        /**
         * A fixed value that is not saved as state (a shape, an axis list).
         *
         * @param name the value's name
         * @param t the tensor
         * @return this builder
         */
        public Builder constant(String name, Tensor t) { constants.put(name, t); return this; }

        /**
         * Adds a node.
         *
         * @param name the node's name
         * @param op what it computes
         * @param ins the names of the values it reads
         * @param outs the names of the values it defines
         * @return this builder
         */
        public Builder node(String name, Op op, List<String> ins, List<String> outs) {
            nodes.add(new GraphNode(name, op, ins, outs));
            return this;
        }

        /**
         * Orders the nodes and checks the graph.
         *
         * @return the graph, in training mode
         * @throws IllegalArgumentException naming the node or value that breaks the graph
         */
        public Graph build() {
            java.util.HashSet<String> stored = new java.util.HashSet<>(params.keySet());
            stored.addAll(buffers.keySet());
            stored.addAll(constants.keySet());
            return new Graph(inputs, outputs, params, buffers, constants, topologicalOrder(nodes, inputs, stored, outputs));
        }

    }
}
