package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.io.Json;
import dev.feint.tensor.Tensor;
import dev.feint.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturePlanTest {
    @Test
    void layerNamesPrefixTheParametersAndAreChecked() {
        Architecture a = new Architecture("named", new int[] {1, 4, 4}, 2, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 16, "out", 3, "name", "fc.0"), LayerSpec.of("relu"), LayerSpec.of("linear", "in", 3, "out", 2)));
        assertEquals(List.of("fc.0.weight", "fc.0.bias", "3.weight", "3.bias"), new ArrayList<>(a.build(1).namedParameters().keySet()));
        for (Object bad : new Object[] {"0", "fc..x", "a b", 7}) {
            Architecture b = new Architecture("bad", new int[] {1, 4, 4}, 2, List.of(LayerSpec.of("flatten"),
                    LayerSpec.of("linear", "in", 16, "out", 2, "name", bad)));
            FeintException e = assertThrows(FeintException.class, b::plan);
            assertTrue(e.getMessage().contains("layer 1 (linear): option 'name' must be a name like conv1"), e.getMessage());
        }
        Architecture dup = new Architecture("dup", new int[] {1, 4, 4}, 2, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 16, "out", 2, "name", "fc"), LayerSpec.of("linear", "in", 2, "out", 2, "name", "fc")));
        assertTrue(assertThrows(FeintException.class, dup::plan).getMessage().contains("layer 2 (linear): option 'name' = fc is used by an earlier layer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet", "madry-cnn", "maxout", "cnn-bn", "resnet-mini", "preact-resnet18"})
    void planMatchesTheBuiltNetwork(String name) {
        for (int[] in : new int[][] {{1, 28, 28}, {3, 32, 32}}) {
            Architecture a = Presets.get(name, in[0], in[1], in[2], 10);
            ArchitecturePlan plan = a.plan();
            Sequential net = a.build(1);
            assertEquals(net.parameterCount(), plan.parameters(), name);
            long buffers = 0;
            for (float[] b : net.namedBuffers().values()) buffers += b.length;
            assertEquals(net.parameterCount() + buffers, plan.storedFloats(), name);
            net.eval();
            try (var ng = Grad.noGrad()) {
                Tensor out = net.forward(Tensor.zeros(2, in[0], in[1], in[2]));
                assertArrayEquals(new int[] {2, 10}, out.shape().dims(), name);
            }
            assertArrayEquals(new int[] {10}, plan.output());
            assertTrue(plan.flops() > plan.parameters(), name + " " + plan.flops());
        }
    }

    @Test
    void groupedAndAsymmetricConvolutionsArePlannedAsBuilt() {
        Architecture a = new Architecture("g", new int[] {4, 9, 7}, 3, List.of(
                LayerSpec.of("conv2d", "in", 4, "out", 8, "kernel_h", 3, "kernel_w", 2, "stride_h", 2, "pad_top", 1, "pad_right", 2,
                        "dilation_w", 2, "groups", 2),
                LayerSpec.of("conv2d", "in", 8, "out", 8, "kernel", 3, "padding", 1, "groups", 8, "bias", false),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 8 * 4 * 7, "out", 3)));
        ArchitecturePlan plan = a.plan();
        Sequential net = a.build(2);
        assertEquals(net.parameterCount(), plan.parameters());
        net.eval();
        try (var ng = Grad.noGrad()) {
            Tensor h = net.layers().get(0).forward(Tensor.zeros(1, 4, 9, 7));
            assertArrayEquals(new int[] {1, 8, 4, 7}, h.shape().dims());
            assertArrayEquals(new int[] {1, 3}, net.forward(Tensor.zeros(1, 4, 9, 7)).shape().dims());
        }
    }

    @Test
    void madryCnnCostIsCountedExactly() {
        ArchitecturePlan p = Presets.get("madry-cnn", 1, 28, 28, 10).plan();
        long conv1 = 2L * 32 * 25 * 28 * 28, conv2 = 2L * 64 * 32 * 25 * 14 * 14, fc = 2L * 3136 * 1024 + 2L * 1024 * 10;
        long relu = 32 * 28 * 28 + 64 * 14 * 14 + 1024, pool = 32 * 14 * 14 * 4 + 64 * 7 * 7 * 4;
        assertEquals(conv1 + conv2 + fc + relu + pool, p.flops());
        assertEquals(32L * 28 * 28, p.peakActivation());
    }

    @Test
    void hugeDeclaredInputIsRefusedWithoutAllocatingIt() {
        Object spec = Json.parse("{\"name\":\"big\",\"input\":[64,4096,4096],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},"
                + "{\"type\":\"linear\",\"in\":1073741824,\"out\":10}]}");
        Architecture a = Architecture.fromMap(spec, "spec.json");
        var e = assertThrows(FeintException.class, () -> a.build(1));
        assertEquals("architecture 'big' input [64, 4096, 4096] has 1073741824 elements per image (expected at most 16777216)",
                e.getMessage());
        assertTrue(Allocations.of(() -> a.build(1)) < 1 << 20);
    }

    @Test
    void hugeIntermediateActivationIsRefusedByArithmetic() {
        Object spec = Json.parse("{\"name\":\"wide\",\"input\":[1,1024,1024],\"classes\":10,\"layers\":["
                + "{\"type\":\"conv2d\",\"in\":1,\"out\":64,\"kernel\":1},{\"type\":\"flatten\"},{\"type\":\"linear\",\"in\":67108864,\"out\":10}]}");
        Architecture a = Architecture.fromMap(spec, "spec.json");
        var e = assertThrows(FeintException.class, a::plan);
        assertEquals("architecture 'wide' layer 0 (conv2d) output [64, 1024, 1024] has 67108864 elements per image "
                + "(expected at most 16777216)", e.getMessage());
        assertTrue(Allocations.of(a::plan) < 1 << 20);
    }

    @Test
    void forwardCostPastTheLimitIsRefusedBeforeAnythingRuns() {
        // The case: thousands of 1x1 convolutions on a 1024x1024 input (an 800 KB file).
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < 9_990; i++) layers.add(LayerSpec.of("conv2d", "in", 1, "out", 1, "kernel", 1));
        layers.add(LayerSpec.of("flatten"));
        layers.add(LayerSpec.of("linear", "in", 1 << 20, "out", 10));
        Architecture a = new Architecture("deep", new int[] {1, 1024, 1024}, 10, layers);
        long t0 = System.nanoTime();
        var e = assertThrows(FeintException.class, () -> a.build(1));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertTrue(e.getMessage().startsWith("architecture 'deep' layer 9536 (conv2d): one image's forward pass reaches "), e.getMessage());
        assertTrue(e.getMessage().endsWith("FLOPs (expected at most 20000000000; raise the limit with maxFlops if the model is really this large)"),
                e.getMessage());
        long old = ArchitecturePlan.maxFlops();
        try {
            ArchitecturePlan.setMaxFlops(100_000_000_000L);
            assertEquals(9_990L * 2 * (1 << 20) + 2L * (1 << 20) * 10, a.plan().flops());
        } finally {
            ArchitecturePlan.setMaxFlops(old);
        }
    }

    @Test
    void errorsNameTheLayerAndUnknownOptionsAreRefused() {
        Architecture typo = new Architecture("t", new int[] {1, 8, 8}, 2, List.of(LayerSpec.of("conv2d", "in", 1, "out", 4, "kernal", 3),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 256, "out", 2)));
        assertEquals("architecture 't' layer 0 (conv2d): unknown option 'kernal' (expected one of in, out, kernel, kernel_h, kernel_w, "
                + "stride, stride_h, stride_w, padding, pad_top, pad_left, pad_bottom, pad_right, dilation, dilation_h, dilation_w, groups, bias)", assertThrows(FeintException.class, typo::plan).getMessage());
        Architecture relu = new Architecture("t", new int[] {1, 8, 8}, 2, List.of(LayerSpec.of("flatten"), LayerSpec.of("relu", "inplace", true),
                LayerSpec.of("linear", "in", 64, "out", 2)));
        assertEquals("architecture 't' layer 1 (relu): unknown option 'inplace' (expected none)",
                assertThrows(FeintException.class, relu::plan).getMessage());
        Architecture channels = new Architecture("t", new int[] {3, 8, 8}, 2, List.of(LayerSpec.of("conv2d", "in", 1, "out", 4, "kernel", 3),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 144, "out", 2)));
        assertEquals("architecture 't' layer 0 (conv2d): expects 1 input channels but gets [3, 8, 8]",
                assertThrows(FeintException.class, channels::plan).getMessage());
        Architecture kernel = new Architecture("t", new int[] {1, 4, 4}, 2, List.of(LayerSpec.of("conv2d", "in", 1, "out", 4, "kernel", 7),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 4, "out", 2)));
        assertEquals("architecture 't' layer 0 (conv2d): kernel 7 (dilation 1) spans 7 pixels, more than the padded input's 4",
                assertThrows(FeintException.class, kernel::plan).getMessage());
        Architecture out = new Architecture("t", new int[] {1, 4, 4}, 3, List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 16, "out", 2)));
        assertEquals("architecture 't': output shape [2] per image but expected [3] (the classes)",
                assertThrows(FeintException.class, out::plan).getMessage());
    }
}
