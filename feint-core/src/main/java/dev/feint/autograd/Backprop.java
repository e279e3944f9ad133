package dev.feint.autograd;

import dev.feint.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Runs reverse-mode differentiation from a scalar and frees the graph afterwards, or keeps it
 * for another backward pass from a different scalar of the same forward pass (the rows of an
 * input Jacobian). Backward rules only read what their forward saved, so a kept graph can be
 * walked again; intermediate gradients are cleared after each pass either way.
 */
public final class Backprop {
    private Backprop() {}

    /**
     * Backpropagates from {@code root} and frees the graph.
     *
     * @param root the scalar to differentiate (a loss)
     */
    public static void run(Tensor root) { run(root, false); }

    /**
     * Backpropagates from {@code root}; with {@code keepGraph} the nodes stay attached; the last pass should free them (keepGraph false).
     *
     * @param root the scalar to differentiate
     * @param keepGraph whether to keep the graph for another pass
     */
    public static void run(Tensor root, boolean keepGraph) {
        if (root.size() != 1)
            throw new IllegalStateException("backward() needs a scalar, got shape " + root.shape());
        if (!root.requiresGrad())
            throw new IllegalStateException("backward() on a tensor that does not require a gradient");
        List<Tensor> order = topoOrder(root);
        float[] g = root.gradBuffer();
        g[0] += 1f;
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Node n = t.node();
            if (n == null) continue;
            float[] go = t.gradIn(n.channelsLastGradient());
            if (go != null) n.backward(t, go);
            // Intermediate results keep neither graph nor gradient: memory is freed after backward.
            t.setGrad(null);
            if (keepGraph) continue;
            n.release();
            t.setNode(null);
        }
    }

    /** Tensors reachable from root, inputs before the ops that use them. */
    private static List<Tensor> topoOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            Tensor[] ins = t.node() == null ? new Tensor[0] : t.node().inputs();
            if (next < ins.length) {
                top[1] = next + 1;
                Tensor in = ins[next];
                if (in != null && in.requiresGrad() && !seen.containsKey(in)) {
                    seen.put(in, true);
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
