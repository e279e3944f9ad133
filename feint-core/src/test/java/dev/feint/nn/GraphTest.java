package dev.feint.nn;

import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphTest {
    private static Tensor rand(SplittableRandom r, int... dims) { return Tensor.uniform(r, -1f, 1f, dims); }

    /** x -> conv -> relu -> pool -> reshape -> linear -> relu -> linear, plus a skip of x's mean: a DAG. */
    private static Graph cnn(SplittableRandom r) {
        return Graph.builder().input("x")
                .parameter("conv.weight", rand(r, 4, 2, 3, 3)).parameter("conv.bias", rand(r, 4))
                .parameter("fc1.weight", rand(r, 6, 4 * 3 * 3)).parameter("fc1.bias", rand(r, 6))
                .parameter("fc2.weight", rand(r, 3, 6))
                .node("relu", new GraphOps.Relu(), List.of("c"), List.of("r"))          // out of order on purpose
                .node("conv", new GraphOps.Conv(dev.feint.autograd.ConvOptions.of(1, 1, 1)), List.of("x", "conv.weight", "conv.bias"), List.of("c"))
                .node("pool", new GraphOps.MaxPool(dev.feint.autograd.PoolOptions.of(2, 2, 0)), List.of("r"), List.of("p"))
                .node("flat", (in, tr) -> new Tensor[] {in[0].reshape(in[0].dim(0), -1)}, List.of("p"), List.of("f"))
                .node("fc1", new GraphOps.Linear(), List.of("f", "fc1.weight", "fc1.bias"), List.of("h"))
                .node("relu2", new GraphOps.Relu(), List.of("h"), List.of("hr"))
                .node("fc2", new GraphOps.Linear(), List.of("hr", "fc2.weight", ""), List.of("z"))
                .node("skip", (in, tr) -> new Tensor[] {in[0].add(Unary.tanh(in[1]).mean())}, List.of("z", "x"), List.of("out"))
                .output("out").build();
    }

    @Test
    void runsInTopologicalOrderAndFusionKeepsValuesAndGradients() {
        Graph plain = cnn(new SplittableRandom(1));
        Graph fused = Fusion.apply(cnn(new SplittableRandom(1)));
        assertEquals(List.of("conv.weight", "conv.bias", "fc1.weight", "fc1.bias", "fc2.weight"), List.copyOf(plain.namedParameters().keySet()));
        assertEquals(8, plain.nodes().size());
        assertEquals(5, fused.nodes().size(), "conv+relu+pool and fc1+relu fused");
        assertTrue(fused.nodes().get(0).op() instanceof GraphOps.ConvReluPool c && c.pool() == 2);
        Tensor x = rand(new SplittableRandom(2), 2, 2, 6, 6);
        Tensor xa = x.copy().requiresGrad(true), xb = x.copy().requiresGrad(true);
        Tensor a = plain.forward(xa), b = fused.forward(xb);
        assertArrayEquals(a.data(), b.data(), 1e-6f);
        a.sum().backward();
        b.sum().backward();
        assertArrayEquals(xa.grad(), xb.grad(), 1e-5f);
        assertArrayEquals(plain.namedParameters().get("conv.weight").grad(), fused.namedParameters().get("conv.weight").grad(), 1e-5f);
    }

    @Test
    void anIntermediateReadTwiceOrAnOutputIsNotFusedAway() {
        SplittableRandom r = new SplittableRandom(4);
        Graph g = Fusion.apply(Graph.builder().input("x").parameter("w", rand(r, 2, 1, 3, 3))
                .node("conv", new GraphOps.Conv(dev.feint.autograd.ConvOptions.of(1, 1, 1)), List.of("x", "w"), List.of("c"))
                .node("relu", new GraphOps.Relu(), List.of("c"), List.of("r"))
                .node("add", (in, tr) -> new Tensor[] {in[0].add(in[1])}, List.of("r", "c"), List.of("y"))
                .output("y").build());
        assertEquals(3, g.nodes().size(), "conv's output is read twice: no fusion");
        Graph h = Fusion.apply(Graph.builder().input("x").parameter("w", rand(r, 2, 1, 3, 3))
                .node("conv", new GraphOps.Conv(dev.feint.autograd.ConvOptions.of(1, 1, 1)), List.of("x", "w"), List.of("c"))
                .node("relu", new GraphOps.Relu(), List.of("c"), List.of("r"))
                .output("r").output("c").build());
        assertEquals(2, h.nodes().size(), "conv's output is a graph output: no fusion");
    }

    @Test
    void trainAndEvalReachTheOps() {
        boolean[] seen = new boolean[1];
        Graph g = Graph.builder().input("x").node("m", (in, tr) -> { seen[0] = tr; return in; }, List.of("x"), List.of("y")).output("y").build();
        g.eval();
        g.forward(Tensor.zeros(1));
        assertEquals(false, seen[0]);
        g.train();
        g.forward(Tensor.zeros(1));
        assertEquals(true, seen[0]);
    }

    @Test
    void badGraphsAreOneClearMessage() {
        Graph.Op id = (in, tr) -> in;
        var cycle = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", id, List.of("b_out"), List.of("a_out")).node("b", id, List.of("a_out"), List.of("b_out")).output("a_out").build());
        assertTrue(cycle.getMessage().contains("cycle through node"), cycle.getMessage());
        var undefined = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", id, List.of("nope"), List.of("y")).output("y").build());
        assertEquals("node 'a' reads 'nope', which no input, initializer or node defines", undefined.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x")
                .node("a", id, List.of("x"), List.of("y")).node("b", id, List.of("x"), List.of("y")).output("y").build());
        assertTrue(twice.getMessage().contains("'y' is defined twice"), twice.getMessage());
        var noOut = assertThrows(IllegalArgumentException.class, () -> Graph.builder().input("x").output("z").build());
        assertTrue(noOut.getMessage().contains("'z' is computed by no node"), noOut.getMessage());
    }

    @Test
    void aNetworkTakesAGraphBody() {
        Graph g = cnn(new SplittableRandom(3));
        Architecture arch = Presets.get("mlp", 2, 6, 6, 3);
        // Only the body's type matters here: a Network holds any Module.
        Network net = new Network(arch, g, new float[arch.input()[0]], filled(arch.input()[0]));
        assertEquals(g, net.body());
        assertThrows(IllegalStateException.class, net::chain);
    }

    private static float[] filled(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }
}
