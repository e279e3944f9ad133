package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.io.Json;
import dev.feint.nn.Architecture;
import dev.feint.nn.BatchNorm;
import dev.feint.nn.BatchNormRouting;
import dev.feint.nn.Graph;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every preset family exported to ONNX: ONNX Runtime and Feint's own import both give the
 * network's logits (relative error under 1e-5). BatchNorm statistics and affine parameters are
 * drawn at random first, so a swapped or ignored input of BatchNormalization shows.
 */
class OnnxExportRoundTripTest {
    static final float TOLERANCE = 1e-5f;

    @TempDir Path dir;

    /** Random BatchNorm weight, bias, running mean and variance (0.5..2), as a trained network has. */
    static Network withRandomStatistics(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        net.body().visit(m -> {
            if (!(m instanceof BatchNorm bn)) return;
            float[] w = bn.namedParameters().get("weight").data(), b = bn.namedParameters().get("bias").data();
            for (int c = 0; c < bn.channels; c++) {
                w[c] = (float) (0.5 + r.nextDouble());
                b[c] = (float) (r.nextDouble() - 0.5);
                bn.runningMean()[c] = (float) (0.4 * r.nextDouble() - 0.2);
                bn.runningVar()[c] = (float) (0.5 + 1.5 * r.nextDouble());
            }
        });
        return net;
    }

    /** Exports, then compares the logits of n random inputs from Feint, Feint's import and ONNX Runtime. */
    private void roundTrip(Network net, int n) {
        net.eval();
        int[] in = net.architecture().input();
        Tensor x = Tensor.uniform(new SplittableRandom(5), 0f, 1f, n, in[0], in[1], in[2]);
        byte[] onnx = OnnxExport.toBytes(net);
        String name = net.architecture().name();
        Graph g = OnnxImport.fromBytes(onnx, name + ".onnx").graph();
        g.eval();
        float[] want;
        try (var ng = Grad.noGrad()) {
            want = net.forward(x).data();
            close(name + " imported by Feint", want, g.forward(x).data());
        }
        Path file = dir.resolve(name + ".onnx");
        try {
            Files.write(file, onnx);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (OrtRunner ort = OrtRunner.open(file, 1)) {
            close(name + " in ONNX Runtime " + OrtRunner.version(), want, ort.run(x.data(), n, in[0], in[1], in[2]).data());
        }
    }

    static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        float worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]) / Math.max(1f, Math.abs(want[i])));
        assertTrue(worst <= TOLERANCE, what + ": off by " + worst);
    }

    private static Network preset(String name, int c, int hw, long seed) {
        return withRandomStatistics(Network.create(Presets.get(name, c, hw, hw, 10), seed), seed + 100);
    }

    @Test void chains() {
        for (String p : new String[] {"softmax-regression", "mlp", "lenet", "madry-cnn"}) roundTrip(preset(p, 1, 28, 1), 3);
    }

    @Test void maxout() { roundTrip(preset("maxout", 1, 28, 2), 3); }

    @Test void cnnBnWithBatchNorm1dAnd2d() {
        roundTrip(preset("cnn-bn", 1, 28, 3), 3);
        roundTrip(preset("cnn-bn", 3, 32, 4), 2);
    }

    @Test void resnetMini() { roundTrip(preset("resnet-mini", 3, 32, 5), 2); }

    @Test void preactResNet18FullWidthAndNarrow() {
        roundTrip(preset("preact-resnet18", 3, 32, 6), 2);
        roundTrip(preset("preact-resnet18-w4", 3, 28, 7), 3);
    }

    @Test void specLayersAndNormalisation() {
        Architecture a = Architecture.fromMap(Json.parse("""
                {"name": "mixed", "input": [3, 17, 15], "classes": 4, "layers": [
                  {"type": "conv2d", "in": 3, "out": 6, "kernel_h": 3, "kernel_w": 5, "stride_h": 2, "pad_top": 1, "pad_left": 2,
                   "pad_bottom": 0, "pad_right": 1, "dilation_w": 2},
                  {"type": "leakyrelu", "slope": 0.2}, {"type": "conv2d", "in": 6, "out": 6, "kernel": 3, "groups": 3, "padding": 1,
                   "bias": false},
                  {"type": "batchnorm2d", "channels": 6}, {"type": "tanh"}, {"type": "avgpool", "kernel": 3, "stride": 2, "padding": 1},
                  {"type": "dropout", "p": 0.3}, {"type": "linear", "in": 120, "out": 12}, {"type": "sigmoid"},
                  {"type": "batchnorm1d", "channels": 12}, {"type": "linear", "in": 12, "out": 4}]}"""), "test");
        Network base = withRandomStatistics(Network.create(a, 8), 9);
        roundTrip(new Network(a, base.body(), new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f}), 3);
    }

    @Test void anAdvPropNetworkExportsItsMainBatchNorms() {
        Network net = preset("cnn-bn", 1, 28, 10);
        assertTrue(BatchNormRouting.addAuxiliary(net.body()) > 0);
        net.body().visit(m -> {
            if (m instanceof BatchNorm bn && bn.auxiliary() != null) java.util.Arrays.fill(bn.auxiliary().runningMean(), 5f);
        });
        roundTrip(net, 2);
    }

    @Test void anImportedGraphIsOneMessage() throws Exception {
        Network lenet = preset("lenet", 1, 28, 11);
        var imported = OnnxImport.fromBytes(OnnxExport.toBytes(lenet), "lenet.onnx");
        Network graph = new Network(Architecture.graph("lenet-onnx", new int[] {1, 28, 28}, 10), imported.graph(), new float[] {0f},
                new float[] {1f});
        var e = assertThrows(FeintException.class, () -> OnnxExport.toBytes(graph));
        assertEquals("ONNX export: 'lenet-onnx' is an imported graph, not a layer list (expected a preset or an --arch spec; an "
                + "imported model is saved as ONNX by feint train --onnx)", e.getMessage());
    }
}
