package dev.feint.nn;

import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Grad;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fusion finds MobileNet-V2's inverted-residual blocks in a graph (with the expansion and the
 * residual Add, its operands in either order; without either) and leaves a 3x3 convolution before
 * a depthwise one alone; the fused graph gives the unfused graph's bits at inference and its
 * gradients when recorded (the block then runs its ops one by one).
 */
class InvertedResidualFusionTest {
    private static Tensor rand(SplittableRandom r, float scale, int... dims) { return Tensor.uniform(r, -scale, scale, dims); }

    /** x -> stem 3x3 + clip = s; s -> 1x1 + clip -> dw + clip -> 1x1 (+ s) = b; b -> dw (stride 2) + clip -> 1x1 -> out. */
    private static Graph mobile(int addSlot) { return mobile(addSlot, false); }

    /** As {@link #mobile(int)}; with {@code spy}, the first block's depthwise output is also read by a Relu, a second graph output. */
    private static Graph mobile(int addSlot, boolean spy) {
        SplittableRandom r = new SplittableRandom(7);
        ConvOptions pw = ConvOptions.of(1, 0, 1);
        List<String> add = addSlot == 0 ? List.of("p1", "s") : List.of("s", "p1");
        Graph.Builder b = Graph.builder().input("x")
                .parameter("ws", rand(r, 0.5f, 16, 3, 3, 3)).parameter("bs", rand(r, 1f, 16))
                .parameter("we", rand(r, 0.5f, 48, 16, 1, 1)).parameter("be", rand(r, 1f, 48))
                .parameter("wd", rand(r, 1f, 48, 1, 3, 3)).parameter("bd", rand(r, 1f, 48))
                .parameter("wp", rand(r, 0.3f, 16, 48, 1, 1)).parameter("bp", rand(r, 1f, 16))
                .parameter("wd2", rand(r, 1f, 16, 1, 3, 3)).parameter("bd2", rand(r, 1f, 16))
                .parameter("wp2", rand(r, 0.5f, 8, 16, 1, 1))
                .constant("lo", Tensor.of(new float[] {0f}, 1)).constant("hi", Tensor.of(new float[] {6f}, 1))
                .node("stem", new GraphOps.Conv(ConvOptions.of(1, 1, 1)), List.of("x", "ws", "bs"), List.of("s0"))
                .node("stemClip", new GraphOps.Clip(0f, 6f), List.of("s0", "lo", "hi"), List.of("s"))
                .node("expand", new GraphOps.Conv(pw), List.of("s", "we", "be"), List.of("e0"))
                .node("expandClip", new GraphOps.Clip(0f, 6f), List.of("e0", "lo", "hi"), List.of("e"))
                .node("dw", new GraphOps.Conv(new ConvOptions(1, 1, 1, 1, 1, 1, 1, 1, 48)), List.of("e", "wd", "bd"), List.of("d0"))
                .node("dwClip", new GraphOps.Clip(0f, 6f), List.of("d0", "lo", "hi"), List.of("d"));
        if (spy) b.node("spy", new GraphOps.Relu(), List.of("d"), List.of("spyOut")).output("spyOut");
        return b.node("project", new GraphOps.Conv(pw), List.of("d", "wp", "bp"), List.of("p1"))
                .node("add", new GraphOps.Add(), add, List.of("b"))
                .node("dw2", new GraphOps.Conv(new ConvOptions(2, 2, 1, 1, 1, 1, 1, 1, 16)), List.of("b", "wd2", "bd2"), List.of("f0"))
                .node("dw2Clip", new GraphOps.Clip(0f, 6f), List.of("f0", "lo", "hi"), List.of("f"))
                .node("project2", new GraphOps.Conv(pw), List.of("f", "wp2"), List.of("out"))
                .output("out").build();
    }

    @ParameterizedTest
    @CsvSource({"0, 1, 16", "1, 3, 9", "0, 2, 5"})
    void fusedGraphGivesTheUnfusedBitsAndGradients(int addSlot, int batch, int size) {
        Graph plain = mobile(addSlot), fused = Fusion.apply(mobile(addSlot));
        assertEquals(List.of("ConvClip", "InvertedResidualBlock", "InvertedResidualBlock"),
                fused.nodes().stream().map(n -> n.op().getClass().getSimpleName()).toList());
        assertEquals(List.of("expand", "expandClip", "dw", "dwClip", "project", "add"),
                ((GraphOps.InvertedResidualBlock) fused.nodes().get(1).op()).fused());
        float[] x = Tensor.uniform(new SplittableRandom(11), -1f, 1f, batch, 3, size, size).data();
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            float[] want = plain.forward(Tensor.of(x.clone(), batch, 3, size, size)).data();
            assertArrayEquals(want, fused.forward(Tensor.of(x.clone(), batch, 3, size, size)).data(), "inference");
            assertArrayEquals(want, fused.forward(Tensor.of(x.clone(), batch, 3, size, size)).data(), "inference, packed weights reused");
        }
        Tensor x1 = Tensor.of(x.clone(), batch, 3, size, size).requiresGrad(true), x2 = Tensor.of(x.clone(), batch, 3, size, size).requiresGrad(true);
        Tensor r = Tensor.uniform(new SplittableRandom(3), -1f, 1f, batch, 8, (size + 1) / 2, (size + 1) / 2);
        Tensor y1 = plain.forward(x1), y2 = fused.forward(x2);
        assertArrayEquals(y1.data(), y2.data(), "recorded forward");
        y1.mul(r).sum().backward();
        y2.mul(r).sum().backward();
        assertArrayEquals(x1.grad(), x2.grad(), "input gradient");
        for (Map.Entry<String, Tensor> e : plain.namedParameters().entrySet())
            assertArrayEquals(e.getValue().grad(), fused.namedParameters().get(e.getKey()).grad(), e.getKey() + " gradient");
    }

    @org.junit.jupiter.api.Test
    void aBlockWhoseIntermediateHasAnotherReaderIsNotFused() {
        Graph plain = mobile(0, true), fused = Fusion.apply(mobile(0, true));
        assertEquals(List.of("ConvClip", "ConvClip", "ConvClip", "Relu", "Conv", "Add", "InvertedResidualBlock"),
                fused.nodes().stream().map(n -> n.op().getClass().getSimpleName()).toList());
        float[] x = Tensor.uniform(new SplittableRandom(12), -1f, 1f, 2, 3, 8, 8).data();
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            Map<String, Tensor> want = plain.run(Map.of("x", Tensor.of(x.clone(), 2, 3, 8, 8))), got = fused.run(Map.of("x", Tensor.of(x.clone(), 2, 3, 8, 8)));
            for (String o : List.of("out", "spyOut")) assertArrayEquals(want.get(o).data(), got.get(o).data(), o);
        }
    }
}
