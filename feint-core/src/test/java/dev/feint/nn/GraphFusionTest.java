package dev.feint.nn;

import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph-only fusions: Conv + constant Clip (MobileNet's ReLU6, depthwise and dense) and Add +
 * Relu (ResNet's residual join) give the separate ops' values and the gradients of the input and
 * of every parameter; batch 1 included. The reference is the unfused graph (scalar clamp, add, relu).
 */
class GraphFusionTest {
    private static Tensor rand(SplittableRandom r, int... dims) { return Tensor.uniform(r, -1f, 1f, dims); }

    /** x -> conv (groups g) -> clip(lo, hi) = c; conv2(c) + c -> relu -> out. */
    private static Graph block(int groups, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(5);
        return Graph.builder().input("x")
                .parameter("w", rand(r, 4, 4 / groups, 3, 3)).parameter("b", rand(r, 4))
                .parameter("w2", rand(r, 4, 4, 1, 1))
                .constant("lo", Tensor.of(new float[] {lo}, 1)).constant("hi", Tensor.of(new float[] {hi}, 1))
                .node("conv", new GraphOps.Conv(new ConvOptions(1, 1, 1, 1, 1, 1, 1, 1, groups)), List.of("x", "w", "b"), List.of("a"))
                .node("clip", new GraphOps.Clip(lo, hi), List.of("a", "lo", "hi"), List.of("c"))
                .node("conv2", new GraphOps.Conv(ConvOptions.of(1, 0, 1)), List.of("c", "w2", ""), List.of("d"))
                .node("add", new GraphOps.Add(), List.of("d", "c"), List.of("s"))
                .node("relu", new GraphOps.Relu(), List.of("s"), List.of("out"))
                .output("out").build();
    }

    @ParameterizedTest
    @CsvSource({"1,0,0.5,2", "4,0,6,3", "4,-0.25,0.25,1", "2,0,0.3,1"})
    void fusedOpsGiveTheSeparateOpsValuesAndGradients(int groups, float lo, float hi, int batch) {
        Graph plain = block(groups, lo, hi), fused = Fusion.apply(block(groups, lo, hi));
        assertEquals(5, plain.nodes().size());
        assertEquals(List.of("ConvClip", "Conv", "AddRelu"), fused.nodes().stream().map(n -> n.op().getClass().getSimpleName()).toList());
        Tensor x1 = Tensor.uniform(new SplittableRandom(9), 0f, 1f, batch, 4, 5, 5), x2 = new Tensor(x1.shape(), x1.data().clone());
        x1.requiresGrad(true);
        x2.requiresGrad(true);
        Tensor r = Tensor.uniform(new SplittableRandom(3), -1f, 1f, batch, 4, 5, 5);
        Tensor y1 = plain.forward(x1), y2 = fused.forward(x2);
        assertTrue(maxDiff(y1.data(), y2.data()) <= 1e-6f, "values");
        boolean clipped = false, inside = false, dead = false;
        Tensor a = Convolutions.conv2d(x1.detach(), plain.value("w"), plain.value("b"), new ConvOptions(1, 1, 1, 1, 1, 1, 1, 1, groups));
        for (float v : a.data()) { clipped |= v < lo || v > hi; inside |= v > lo && v < hi; }
        for (float v : y1.data()) dead |= v == 0f;
        assertTrue(clipped && inside && dead, "the inputs exercise both sides of the clip and of the relu");
        y1.mul(r).sum().backward();
        y2.mul(r).sum().backward();
        assertTrue(maxDiff(x1.grad(), x2.grad()) <= 1e-5f, "input gradient");
        for (Map.Entry<String, Tensor> e : plain.namedParameters().entrySet()) {
            float[] g1 = e.getValue().grad(), g2 = fused.namedParameters().get(e.getKey()).grad();
            assertTrue(maxDiff(g1, g2) <= 1e-5f, e.getKey() + " gradient");
            assertTrue(maxDiff(g1, new float[g1.length]) > 0, e.getKey() + ": a gradient to compare");
        }
    }

    @ParameterizedTest
    @CsvSource({"1,3", "2,1"})
    void addReluBroadcastFallsBackToTheTwoOps(int n, int c) {
        Tensor a = Tensor.uniform(new SplittableRandom(1), -1f, 1f, n, c, 2, 2), b = Tensor.uniform(new SplittableRandom(2), -1f, 1f, 1, c, 1, 1);
        assertTrue(maxDiff(Unary.addRelu(a, b).data(), Unary.relu(a.add(b)).data()) == 0f);
    }

    private static float maxDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
