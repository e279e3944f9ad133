package dev.feint.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Layer fusion, one rule for chains and graphs: a convolution followed by a ReLU (and a max-pool
 * whose windows tile its input) runs as one fused op, and so does a linear map followed by a
 * ReLU; in graphs also a convolution followed by a constant Clip (ReLU6) and an Add followed by a
 * ReLU. Same values and gradients as the separate ops, without their intermediates.
 */
public final class Fusion {
    private Fusion() {}

    /**
     * How many consecutive layers run as one op: 3 (conv, ReLU, tiling max-pool), 2 (conv or
     * linear, ReLU) or 1. {@code poolWindow} is the third layer's tiling window, 0 if it is none.
     *
     * @param conv whether the first layer is a convolution
     * @param linear whether the first layer is a linear layer
     * @param thenRelu whether the second layer is a ReLU
     * @param poolWindow the third layer's tiling max-pool window, or 0
     * @return 1, 2 or 3
     */
    public static int span(boolean conv, boolean linear, boolean thenRelu, int poolWindow) {
        if (linear && thenRelu) return 2;
        if (!conv || !thenRelu) return 1;
        return poolWindow > 0 ? 3 : 2;
    }

    /**
     * The graph with each fusable run of nodes replaced by its fused op. A run fuses only when
     * each intermediate has exactly one reader and is not a graph output.
     *
     * @param g the graph
     * @return a new graph with the fused ops (the same values and gradients)
     */
    public static Graph apply(Graph g) {
        Map<String, Integer> readers = new HashMap<>();
        for (Graph.GraphNode n : g.nodes()) for (String s : n.inputs()) readers.merge(s, 1, Integer::sum);
        for (String o : g.outputNames()) readers.merge(o, 2, Integer::sum);  // an output never disappears
        Map<String, Graph.GraphNode> byInput = new HashMap<>();
        for (Graph.GraphNode n : g.nodes()) if (!n.inputs().isEmpty()) byInput.putIfAbsent(n.inputs().get(0), n);
        HashSet<Graph.GraphNode> absorbed = new HashSet<>();
        List<Graph.GraphNode> out = new ArrayList<>();
        boolean changed = false;
        for (Graph.GraphNode n : g.nodes()) {
            if (absorbed.contains(n)) continue;
            Graph.GraphNode pair = pairFused(n, readers, byInput);
            if (pair != null) {
                changed = true;
                out.add(pair);
                absorbed.add(byInput.get(n.outputs().get(0)));
                continue;
            }
            boolean conv = n.op() instanceof GraphOps.Conv, linear = n.op() instanceof GraphOps.Linear;
            Graph.GraphNode relu = (conv || linear) ? soleReader(n, readers, byInput) : null;
            boolean thenRelu = relu != null && relu.op() instanceof GraphOps.Relu;
            Graph.GraphNode pool = thenRelu && conv ? soleReader(relu, readers, byInput) : null;
            int window = pool != null && pool.op() instanceof GraphOps.MaxPool p ? p.tilingWindow() : 0;
            int span = span(conv, linear, thenRelu, window);
            if (span == 1) { out.add(n); continue; }
            changed = true;
            Graph.GraphNode last = span == 3 ? pool : relu;
            List<String> names = span == 3 ? List.of(n.name(), relu.name(), pool.name()) : List.of(n.name(), relu.name());
            Graph.Op op = conv ? new GraphOps.ConvReluPool((GraphOps.Conv) n.op(), span == 3 ? window : 1, names)
                    : new GraphOps.LinearRelu(names);
            out.add(new Graph.GraphNode(n.name(), op, n.inputs(), last.outputs()));
            absorbed.add(relu);
            if (span == 3) absorbed.add(pool);
        }
        return changed ? g.withNodes(out) : g;
    }

    /** Conv + constant Clip, or Add + Relu, as one node; else null. */
    private static Graph.GraphNode pairFused(Graph.GraphNode n, Map<String, Integer> readers, Map<String, Graph.GraphNode> byInput) {
        boolean conv = n.op() instanceof GraphOps.Conv, add = n.op() instanceof GraphOps.Add;
        if (!conv && !add || n.outputs().size() != 1 || readers.getOrDefault(n.outputs().get(0), 0) != 1) return null;
        Graph.GraphNode r = byInput.get(n.outputs().get(0));
        if (r == null || r.outputs().size() != 1) return null;
        for (int k = 1; k < r.inputs().size(); k++) if (r.inputs().get(k).equals(n.outputs().get(0))) return null;
        List<String> names = List.of(n.name(), r.name());
        if (conv && r.op() instanceof GraphOps.Clip c)           // Clip's bound inputs are folded into its op
            return new Graph.GraphNode(n.name(), new GraphOps.ConvClip((GraphOps.Conv) n.op(), c.lo(), c.hi(), names), n.inputs(), r.outputs());
        if (add && r.op() instanceof GraphOps.Relu && r.inputs().size() == 1)
            return new Graph.GraphNode(n.name(), new GraphOps.AddRelu(names), n.inputs(), r.outputs());
        return null;
    }

    /** The one node reading n's single output, if it reads it as its first input and nothing else does. */
    private static Graph.GraphNode soleReader(Graph.GraphNode n, Map<String, Integer> readers, Map<String, Graph.GraphNode> byInput) {
        if (n.outputs().size() != 1) return null;
        String v = n.outputs().get(0);
        if (readers.getOrDefault(v, 0) != 1) return null;
        Graph.GraphNode r = byInput.get(v);
        return r != null && r.inputs().size() == 1 ? r : null;
    }
}
