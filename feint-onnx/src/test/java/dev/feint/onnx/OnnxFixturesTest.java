package dev.feint.onnx;

import dev.feint.io.Npy;
import dev.feint.loss.Losses;
import dev.feint.nn.Graph;
import dev.feint.nn.GraphOps;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models exported by PyTorch 1.13 (scripts/make-onnx-fixtures.py): Feint's logits equal
 * PyTorch's within 1e-4 relative, and its input gradients of sum(cross_entropy) within 1e-3.
 */
class OnnxFixturesTest {
    static final int[] LABELS = {3, 7};       // as the script writes them

    static Path resource(String name) {
        try {
            return Path.of(OnnxFixturesTest.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name);
        }
    }

    static float relativeError(float[] got, float[] want) {
        double worst = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return (float) (worst / scale);
    }

    @ParameterizedTest
    @CsvSource({"small-cnn,13", "small-cnn,17", "resnet18-w12,13", "resnet18-w12,17", "mobilenet_v2-w025,13", "mobilenet_v2-w025,17"})
    void logitsAndInputGradientsMatchPyTorch(String model, int opset) {
        Graph g = OnnxImport.load(resource(model + "-opset" + opset + ".onnx")).graph();
        g.eval();
        Tensor x = Npy.read(resource(model + ".x.npy"));
        float[] logits = Npy.read(resource(model + ".logits.npy")).data(), grad = Npy.read(resource(model + ".grad.npy")).data();
        for (var p : g.namedParameters().values()) p.requiresGrad(false);
        Tensor leaf = x.copy().requiresGrad(true);
        Tensor z = g.forward(leaf);
        assertEquals(java.util.List.of(2, 10), java.util.Arrays.stream(z.dims()).boxed().toList());
        float le = relativeError(z.data(), logits);
        assertTrue(le < 1e-4f, model + " opset " + opset + ": logits off by " + le + " relative");
        Losses.crossEntropyPerExample(z, LABELS).sum().backward();
        float ge = relativeError(leaf.grad(), grad);
        assertTrue(ge < 1e-3f, model + " opset " + opset + ": input gradient off by " + ge + " relative");
    }

    @Test
    void batchIsDynamicAndFusedKernelsAreUsed() {
        var imp = OnnxImport.load(resource("small-cnn-opset13.onnx"));
        Graph g = imp.graph();
        g.eval();
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        float[] two = g.forward(x).data();
        Tensor first = Tensor.of(java.util.Arrays.copyOf(x.data(), 3 * 32 * 32), 1, 3, 32, 32);
        float[] one = g.forward(first).data();
        for (int j = 0; j < 10; j++) assertEquals(two[j], one[j], 1e-5f * Math.max(1, Math.abs(two[j])));
        long convReluPool = g.nodes().stream().filter(n -> n.op() instanceof GraphOps.ConvReluPool c && c.pool() == 2).count();
        long linearRelu = g.nodes().stream().filter(n -> n.op() instanceof GraphOps.LinearRelu).count();
        assertEquals(2, convReluPool, "both conv-relu-pool runs fused: " + imp.fusedNodes());
        assertEquals(1, linearRelu, "fc1 + relu fused: " + imp.fusedNodes());
        assertEquals(java.util.Set.of("input"), java.util.Set.copyOf(g.inputNames()));
        assertTrue(g.namedParameters().containsKey("conv1.weight"), "initializer names kept: " + g.namedParameters().keySet());
    }
}
