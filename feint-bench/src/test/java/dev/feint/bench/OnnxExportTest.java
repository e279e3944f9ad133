package dev.feint.bench;

import dev.feint.onnx.OnnxExport;
import ai.onnxruntime.OnnxTensor;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported ONNX model, run by ONNX Runtime, gives Feint's logits. */
class OnnxExportTest {
    @TempDir Path dir;

    private void check(Network net, int n) throws Exception {
        net.eval();
        int[] in = net.architecture().input();
        float[] x = new float[n * in[0] * in[1] * in[2]];
        var rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        float[] ref;
        try (var g = dev.feint.autograd.Grad.noGrad()) {
            ref = net.forward(dev.feint.tensor.Tensor.of(x, n, in[0], in[1], in[2])).data();
        }
        Path f = dir.resolve(net.architecture().name() + ".onnx");
        OnnxExport.write(net, f);
        try (OrtPeer p = new OrtPeer(f, 1); OnnxTensor t = p.input(x, n, in[0], in[1], in[2])) {
            float d = SideBySide.maxAbsDiff(ref, p.forward(t));
            assertTrue(d <= 1e-4f, net.architecture().name() + ": max |diff| " + d);
        }
    }

    @Test void madryCnn() throws Exception { check(Network.create(Presets.get("madry-cnn", 1, 28, 28, 10), 1), 5); }

    @Test void lenetUnpaddedConv() throws Exception { check(Network.create(Presets.get("lenet", 1, 28, 28, 10), 2), 3); }

    @Test void mlp() throws Exception { check(Network.create(Presets.get("mlp", 1, 28, 28, 10), 3), 4); }

    @Test void normalisationBecomesSubAndMul() throws Exception {
        Network base = Network.create(Presets.get("lenet", 3, 32, 32, 10), 4);
        Network net = new Network(base.architecture(), base.body(), new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.247f, 0.243f, 0.261f});
        check(net, 2);
    }
}
