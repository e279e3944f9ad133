package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.nn.Graph;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Feint network exported to ONNX and imported again gives the same logits (1e-5). */
class OnnxExportRoundTripTest {
    private static void roundTrip(Network net, int n) {
        net.eval();
        int[] in = net.architecture().input();
        Tensor x = Tensor.uniform(new SplittableRandom(5), 0f, 1f, n, in[0], in[1], in[2]);
        Graph g = OnnxImport.fromBytes(OnnxExport.toBytes(net), net.architecture().name() + ".onnx").graph();
        g.eval();
        try (var ng = Grad.noGrad()) {
            float[] want = net.forward(x).data(), got = g.forward(x).data();
            assertEquals(want.length, got.length);
            float worst = 0;
            for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]) / Math.max(1f, Math.abs(want[i])));
            assertTrue(worst <= 1e-5f, net.architecture().name() + ": off by " + worst);
        }
    }

    @Test void madryCnn() { roundTrip(Network.create(Presets.get("madry-cnn", 1, 28, 28, 10), 1), 3); }

    @Test void lenet() { roundTrip(Network.create(Presets.get("lenet", 1, 28, 28, 10), 2), 2); }

    @Test void mlp() { roundTrip(Network.create(Presets.get("mlp", 1, 28, 28, 10), 3), 4); }

    @Test void withNormalisation() {
        Network base = Network.create(Presets.get("lenet", 3, 32, 32, 10), 4);
        roundTrip(new Network(base.architecture(), base.body(), new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f}), 2);
    }

    @Test void anUnsupportedLayerIsOneMessage() {
        var e = assertThrows(FeintException.class, () -> OnnxExport.toBytes(Network.create(Presets.get("cnn-bn", 1, 28, 28, 10), 1)));
        assertTrue(e.getMessage().startsWith("ONNX export does not support layer 'batchnorm"), e.getMessage());
    }
}
