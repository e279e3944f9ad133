package dev.feint.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Layer fusion, one rule for chains and graphs: a convolution followed by a ReLU (and a max-pool
 * whose windows tile its input) runs as one fused op, and so does a linear map followed by a
 * ReLU; in graphs also a convolution followed by a constant Clip (ReLU6), an Add followed by a
 * ReLU, and MobileNet-V2's inverted-residual block (made of those clipped convolutions). Same
 * values and gradients as the separate ops, without their intermediates.
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
        return invertedResiduals(changed ? g.withNodes(out) : g);
    }

    /**
     * Each MobileNet-V2 inverted-residual block, (Conv 1x1 + Clip) -> Conv depthwise + Clip -> Conv
     * (-> Add of the block's input), as one {@link GraphOps.InvertedResidualBlock}. Its intermediates
     * each have one reader and are no outputs, and its weights are stored values of the kernel
     * sizes (1x1, 3x3, 1x1); the rest of the geometry is checked when it runs (a block that does
     * not fit then runs its ops one by one).
     */
    private static Graph invertedResiduals(Graph g) {
        Map<String, Integer> readers = new HashMap<>();
        Map<String, Graph.GraphNode> reader = new HashMap<>();
        for (Graph.GraphNode n : g.nodes()) for (String s : n.inputs()) { readers.merge(s, 1, Integer::sum); reader.put(s, n); }
        for (String o : g.outputNames()) readers.merge(o, 2, Integer::sum);
        Map<Graph.GraphNode, Graph.GraphNode> at = new HashMap<>();
        HashSet<Graph.GraphNode> absorbed = new HashSet<>();
        for (Graph.GraphNode n : g.nodes()) {
            if (absorbed.contains(n) || !(n.op() instanceof GraphOps.ConvClip first)) continue;
            Graph.GraphNode expand = first.conv().options().groups() == 1 ? n : null;
            if (expand != null && !kernel(g, expand, 1)) continue;
            Graph.GraphNode depthwise = expand == null ? n : next(expand, 0, readers, reader);
            if (!(depthwise != null && depthwise.op() instanceof GraphOps.ConvClip dc && dc.conv().options().groups() > 1 && kernel(g, depthwise, 3)))
                continue;
            Graph.GraphNode project = next(depthwise, 0, readers, reader);
            if (!(project != null && project.op() instanceof GraphOps.Conv pc && pc.options().groups() == 1 && kernel(g, project, 1))) continue;
            String x = n.inputs().get(0);
            Graph.GraphNode add = null;
            int residual = -1;
            for (int slot = 0; slot < 2 && add == null; slot++) {
                Graph.GraphNode a = next(project, slot, readers, reader);
                if (a != null && a.op() instanceof GraphOps.Add && a.inputs().size() == 2 && a.inputs().get(1 - slot).equals(x)) {
                    add = a;
                    residual = slot;
                }
            }
            List<Graph.GraphNode> chain = new ArrayList<>();
            if (expand != null) chain.add(expand);
            chain.add(depthwise);
            chain.add(project);
            List<String> inputs = new ArrayList<>(List.of(x)), names = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            for (Graph.GraphNode c : chain) {
                inputs.addAll(c.inputs().subList(1, c.inputs().size()));
                counts.add(c.inputs().size());
            }
            if (expand != null) names.addAll(first.fused());
            names.addAll(((GraphOps.ConvClip) depthwise.op()).fused());
            names.add(project.name());
            if (add != null) { chain.add(add); names.add(add.name()); }
            Graph.GraphNode last = chain.get(chain.size() - 1);
            GraphOps.InvertedResidualBlock op = new GraphOps.InvertedResidualBlock(expand == null ? null : first,
                    (GraphOps.ConvClip) depthwise.op(), (GraphOps.Conv) project.op(), residual, counts, names);
            at.put(last, new Graph.GraphNode(n.name(), op, inputs, last.outputs()));
            absorbed.addAll(chain);
        }
        if (at.isEmpty()) return g;
        List<Graph.GraphNode> out = new ArrayList<>();
        for (Graph.GraphNode n : g.nodes()) {
            if (at.containsKey(n)) out.add(at.get(n));
            else if (!absorbed.contains(n)) out.add(n);
        }
        return g.withNodes(out);
    }

    /** Whether convolution node n's weight is a stored k x k kernel. */
    private static boolean kernel(Graph g, Graph.GraphNode n, int k) {
        dev.feint.tensor.Tensor w = n.inputs().size() > 1 ? g.value(n.inputs().get(1)) : null;
        return w != null && w.rank() == 4 && w.dim(2) == k && w.dim(3) == k;
    }

    /** The one node reading n's single output, if it reads it as its input {@code slot} and only there; else null. */
    private static Graph.GraphNode next(Graph.GraphNode n, int slot, Map<String, Integer> readers, Map<String, Graph.GraphNode> reader) {
        if (n.outputs().size() != 1) return null;
        String v = n.outputs().get(0);
        if (readers.getOrDefault(v, 0) != 1) return null;
        Graph.GraphNode r = reader.get(v);
        return r != null && r.inputs().size() > slot && r.inputs().get(slot).equals(v) ? r : null;
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
