package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.io.Npy;
import dev.feint.model.Bounds;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.feint.onnx.OnnxFixturesTest.relativeError;
import static dev.feint.onnx.OnnxFixturesTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX Runtime as an independent reference, live: Feint's imported graphs give ORT's logits on the
 * same files, and {@link OrtModel} (the black-box backend) preprocesses as {@link OnnxModel} does
 * and loads graphs Feint cannot import.
 */
class OrtReferenceTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"small-cnn,13", "small-cnn,17", "resnet18-w12,13", "resnet18-w12,17", "mobilenet_v2-w025,13", "mobilenet_v2-w025,17"})
    void feintLogitsEqualOnnxRuntimes(String model, int opset) {
        Path file = resource(model + "-opset" + opset + ".onnx");
        Graph g = OnnxImport.load(file).graph();
        g.eval();
        Tensor x = Npy.read(resource(model + ".x.npy"));
        float[] feint = g.forward(x).data();
        try (OrtRunner ort = OrtRunner.open(file, 1)) {
            OrtRunner.Output z = ort.run(x.data(), 2, 3, 32, 32);
            assertArrayEquals(new long[] {2, 10}, z.dims());
            float e = relativeError(feint, z.data());
            assertTrue(e < 1e-4f, model + " opset " + opset + ": Feint's logits off ONNX Runtime's by " + e + " relative");
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 13", "1, 17"})
    void fusedInvertedResidualsGiveOnnxRuntimesLogits(int batch, int opset) {
        Path file = resource("mobilenet_v2-w025-opset" + opset + ".onnx");
        OnnxModel feint = OnnxModel.load(file, InputPreprocessing.DEFAULT, null);
        long blocks = feint.imported().graph().nodes().stream().filter(n -> n.op() instanceof dev.feint.nn.GraphOps.InvertedResidualBlock).count();
        assertEquals(17, blocks, "features.1-17 fused: " + feint.imported().fusedNodes());
        Tensor x = Npy.read(resource("mobilenet_v2-w025.x.npy"));
        float[] xs = java.util.Arrays.copyOf(x.data(), batch * 3 * 32 * 32);
        try (OrtRunner ort = OrtRunner.open(file, 1); var frozen = dev.feint.tensor.FrozenWeights.open()) {
            float[] want = ort.run(xs, batch, 3, 32, 32).data();
            for (int call = 0; call < 2; call++) {   // the second call reuses the packed weights
                float e = relativeError(feint.logits(Tensor.of(xs.clone(), batch, 3, 32, 32)).data(), want);
                assertTrue(e < 1e-4f, "inference (fused blocks), batch " + batch + ": off ONNX Runtime's by " + e + " relative");
            }
        }
    }

    @Test
    void ortModelPreprocessesAsOnnxModel() {
        InputPreprocessing pre = new InputPreprocessing(new Bounds(0f, 255f), new float[] {120f, 110f, 100f}, new float[] {60f, 50f, 70f}, true, false);
        Path file = resource("small-cnn-opset13.onnx");
        OnnxModel feint = OnnxModel.load(file, pre, null);
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        float[] scaled = x.data().clone();
        for (int i = 0; i < scaled.length; i++) scaled[i] *= 255f;
        Tensor x255 = Tensor.of(scaled, x.dims());
        try (OrtModel ort = OrtModel.load(file, pre, null, 1)) {
            assertEquals(10, ort.numClasses());
            assertArrayEquals(new int[] {3, 32, 32}, ort.inputShape());
            assertEquals(pre.range(), ort.bounds());
            float e = relativeError(feint.logits(x255).data(), ort.logits(x255).data());
            assertTrue(e < 1e-4f, "mean/std/bgr through ONNX Runtime off Feint's by " + e + " relative");
            assertArrayEquals(feint.predict(x255), ort.predict(x255));
        }
    }

    @Test
    void closeFreesTheSessionOnceAndUseAfterIsOneClearError() {
        Path file = resource("small-cnn-opset13.onnx");
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        OrtModel m = OrtModel.load(file, InputPreprocessing.DEFAULT, null, 1);
        assertEquals(2, m.predict(x).length);
        m.close();
        m.close();                                                       // a second close does nothing
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.logits(x));
        assertEquals(file + ": the ONNX Runtime session was closed (load the model again to query it)", e.getMessage());
        assertEquals(10, m.numClasses(), "what the model recorded stays readable");
        try (OrtRunner r = OrtRunner.open(file, 1)) {
            r.close();
            assertThrows(IllegalStateException.class, () -> r.run(x.data(), 2, 3, 32, 32));
            assertThrows(IllegalStateException.class, () -> r.tensor(x.data(), 2, 3, 32, 32));
        }
    }

    @Test
    void nhwcLayoutMovesChannelsLast() {
        InputPreprocessing pre = new InputPreprocessing(Bounds.UNIT, new float[] {0f}, new float[] {1f}, true, true);
        float[] x = {1, 2, 3, 4, 5, 6};                        // [1, 3, 1, 2]: channel c holds 2c+1, 2c+2
        assertArrayEquals(new float[] {5, 3, 1, 6, 4, 2}, pre.transform(3).apply(Tensor.of(x, 1, 3, 1, 2)).data(), "bgr then [1, 1, 2, 3]");
        InputPreprocessing norm = new InputPreprocessing(Bounds.UNIT, new float[] {1f, 2f}, new float[] {2f, 4f}, false, false);
        assertArrayEquals(new float[] {0, 0.5f, 0.25f, 0.5f}, norm.transform(2).apply(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2)).data());
    }

    @Test
    void anOpFeintDoesNotImportStillRunsOnOnnxRuntime() {
        Path file = resource("fashion-cnn-atan.onnx");
        FeintException e = assertThrows(FeintException.class, () -> OnnxImport.load(file));
        assertTrue(e.getMessage().contains("Atan"), e.getMessage());
        Tensor x = Tensor.of(seeded(3 * 28 * 28, 7), 3, 1, 28, 28);
        OnnxModel plain = OnnxModel.load(resource("fashion-cnn-opset13.onnx"), InputPreprocessing.DEFAULT, null);
        try (OrtModel ort = OrtModel.load(file, InputPreprocessing.DEFAULT, null, 1)) {
            float[] want = plain.logits(x).data(), got = ort.logits(x).data();
            for (int i = 0; i < want.length; i++)
                assertEquals(Math.atan(want[i]), got[i], 1e-5, "atan(logit) " + i);
            assertArrayEquals(plain.predict(x), ort.predict(x));
        }
    }

    @Test
    void batchFixedAtOneIsQueriedOneByOne() throws Exception {
        // x [1, 1, 2, 2] -> Flatten -> MatMul w [4, 3] -> Sin -> y [1, 3]: a fixed batch and an op Feint lacks
        float[] w = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : w) raw.putFloat(v);
        Proto g = new Proto().message(1, Proto.node("Flatten", "f", new String[] {"x"}, new String[] {"h"}))
                .message(1, Proto.node("MatMul", "m", new String[] {"h", "w"}, new String[] {"z"}))
                .message(1, Proto.node("Sin", "s", new String[] {"z"}, new String[] {"y"}))
                .string(2, "g").message(5, Proto.floatTensor("w", new long[] {4, 3}, raw.array()))
                .message(11, Proto.valueInfo("x", DataType.FLOAT, 1, 1, 2, 2)).message(12, Proto.valueInfo("y", DataType.FLOAT, 1, 3));
        Path file = dir.resolve("sin.onnx");
        Files.write(file, Proto.model(13, g).toBytes());
        float[] x = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
        try (OrtModel m = OrtModel.load(file, InputPreprocessing.DEFAULT, null, 1)) {
            assertEquals(3, m.numClasses());
            float[] z = m.logits(Tensor.of(x, 2, 1, 2, 2)).data();
            for (int i = 0; i < 2; i++) {
                float a = x[4 * i], b = x[4 * i + 1], c = x[4 * i + 2], d = x[4 * i + 3];
                assertArrayEquals(new float[] {(float) Math.sin(a + d), (float) Math.sin(b + d), (float) Math.sin(c + d)},
                        java.util.Arrays.copyOfRange(z, 3 * i, 3 * i + 3), 1e-6f, "example " + i);
            }
        }
    }

    @Test
    void aFileOnnxRuntimeRejectsIsOneClearError() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        FeintException e = assertThrows(FeintException.class, () -> OrtModel.load(junk, InputPreprocessing.DEFAULT, null, 1));
        assertTrue(e.getMessage().startsWith(junk + ": ONNX Runtime cannot load it"), e.getMessage());
        InputPreprocessing three = new InputPreprocessing(Bounds.UNIT, new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}, false, false);
        FeintException c = assertThrows(FeintException.class, () -> OrtModel.load(resource("fashion-cnn-atan.onnx"), three, null, 1));
        assertEquals("mean and std have 3 values but the model's input has 1 channels", c.getMessage());
    }

    /**
     * SPSA is score-based, so ONNX Runtime can answer it: on the Fashion-MNIST CNN (12 demo images,
     * same seed) both engines see the same logits to about 1e-6, take the same steps and fool the
     * same examples; the adversarial images agree to float noise.
     */
    @Test
    void spsaThroughOnnxRuntimeAgreesWithFeintsEngine() {
        dev.feint.data.Dataset d = dev.feint.data.Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, 12);
        dev.feint.attack.Attack spsa = dev.feint.attack.AttackRegistry.create("spsa:eps=0.1,queries=200,samples=32,seed=3");
        Path file = resource("fashion-cnn-opset13.onnx");
        OnnxModel feint = OnnxModel.load(file, InputPreprocessing.DEFAULT, null);
        try (OrtModel ort = OrtModel.load(file, InputPreprocessing.DEFAULT, null, 1)) {
            var crit = new dev.feint.attack.Misclassification(d.labels());
            dev.feint.attack.AttackResult a = spsa.run(feint, d.images(), crit), b = spsa.run(ort, d.images(), crit);
            assertArrayEquals(a.success(), b.success(), "the same examples fooled");
            int fooled = 0, clean = 0;
            int[] pred = feint.predict(d.images());
            for (int i = 0; i < 12; i++) {
                if (a.success()[i]) fooled++;
                if (pred[i] == d.labels()[i]) clean++;
            }
            assertTrue(fooled > 12 - clean, "spsa fools correctly classified images too: " + fooled + " fooled, " + clean + " clean");
            float[] xa = a.adversarial().data(), xb = b.adversarial().data();
            double worst = 0;
            for (int i = 0; i < xa.length; i++) worst = Math.max(worst, Math.abs(xa[i] - xb[i]));
            assertTrue(worst < 1e-3, "adversarial images differ by " + worst);
        }
    }

    private static float[] seeded(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat();
        return v;
    }
}
