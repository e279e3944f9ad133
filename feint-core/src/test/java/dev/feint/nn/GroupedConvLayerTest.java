package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.GradCheck;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv2d with groups, per-side padding and per-axis strides: module, JSON spec and safetensors. */
class GroupedConvLayerTest {
    @TempDir Path dir;

    /** A MobileNet-V2-style block: pointwise expand, depthwise 3x3 stride 2 (asymmetric pads), pointwise project. */
    private static final String SPEC = """
            {"name": "dw", "input": [4, 9, 9], "classes": 3, "layers": [
              {"type": "conv2d", "in": 4, "out": 8, "kernel": 1, "bias": false},
              {"type": "relu"},
              {"type": "conv2d", "in": 8, "out": 8, "kernel": 3, "stride": 2, "pad_top": 0, "pad_left": 1, "pad_bottom": 1, "pad_right": 1, "groups": 8},
              {"type": "relu"},
              {"type": "maxpool", "kernel": 1},
              {"type": "conv2d", "in": 8, "out": 6, "kernel_h": 2, "kernel_w": 1, "stride_w": 2, "dilation_h": 2, "groups": 2},
              {"type": "flatten"},
              {"type": "linear", "in": 36, "out": 3}]}""";

    @Test
    void groupedModuleGradients() {
        SplittableRandom r = new SplittableRandom(1);
        Conv2d dw = new Conv2d(3, 6, 3, 3, new ConvOptions(2, 1, 1, 0, 1, 2, 1, 1, 3), true, r);
        assertArrayEquals(new int[] {6, 1, 3, 3}, dw.namedParameters().get("weight").shape().dims());
        List<Tensor> ins = new ArrayList<>();
        ins.add(GradCheck.awayFrom(new SplittableRandom(2), 0f, new float[0], 2, 3, 5, 4));
        ins.addAll(dw.namedParameters().values());
        GradCheck.check("Conv2d depthwise module", t -> dw.forward(t[0]), ins.toArray(new Tensor[0]));
    }

    @Test
    void specBuildsRoundTripsAndFusesCorrectly() {
        Architecture a = Architecture.fromMap(Json.parse(SPEC), "test");
        Sequential net = a.build(5);
        Architecture back = Architecture.fromMap(Json.parse(Json.write(a.toMap())), "test");
        Sequential again = back.build(5);
        assertEquals(net.parameterCount(), again.parameterCount());
        assertEquals(new ConvOptions(2, 2, 0, 1, 1, 1, 1, 1, 8), ((Conv2d) net.layers().get(2)).options);
        assertEquals(new ConvOptions(1, 2, 0, 0, 0, 0, 2, 1, 2), ((Conv2d) again.layers().get(5)).options);
        assertEquals(List.of(2, 1), List.of(((Conv2d) again.layers().get(5)).kernelH, ((Conv2d) again.layers().get(5)).kernelW));
        assertEquals(4 * 8 + 8 * 9 + 8 + 6 * 4 * 2 + 6 + 36 * 3 + 3, net.parameterCount());
        Tensor x = Tensor.uniform(new SplittableRandom(3), -1, 1, 2, 4, 9, 9);
        net.eval();
        again.eval();
        Tensor y = net.forward(x);
        assertArrayEquals(y.data(), again.forward(x).data());
        // Layer by layer (no fusion) gives the same values as the fused forward, and so does a FrozenWeights scope.
        Tensor h = x;
        for (int i = 0; i < net.layers().size(); i++) h = net.layers().get(i).forward(h);
        assertArrayEquals(y.data(), h.data(), 1e-6f);
        try (var frozen = dev.feint.tensor.FrozenWeights.open()) {
            assertArrayEquals(y.data(), net.forward(x).data());
            assertArrayEquals(y.data(), net.forward(x).data());
        }
    }

    @Test
    void safetensorsRoundTripKeepsPyTorchShapes() {
        Architecture a = Architecture.fromMap(Json.parse(SPEC), "test");
        Network net = Network.create(a, 7);
        net.eval();
        Tensor x = Tensor.uniform(new SplittableRandom(4), -1, 1, 1, 4, 9, 9);
        Path f = dir.resolve("dw.safetensors");
        NetworkFile.save(f, net, List.of(), Map.of());
        assertArrayEquals(new int[] {8, 1, 3, 3}, Safetensors.read(f).tensors().get("2.weight").shape().dims());
        assertArrayEquals(new int[] {6, 4, 2, 1}, Safetensors.read(f).tensors().get("5.weight").shape().dims());
        assertArrayEquals(net.forward(x).data(), NetworkFile.load(f).network().forward(x).data());
    }

    @Test
    void badGroupsAreNamed() {
        String bad = SPEC.replace("\"groups\": 2", "\"groups\": 3");
        FeintException e = assertThrows(FeintException.class, () -> Architecture.fromMap(Json.parse(bad), "test").build(1));
        assertTrue(e.getMessage().contains("'groups' = 3"), e.getMessage());
    }
}
