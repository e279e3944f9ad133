package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.io.Npy;
import dev.feint.loss.Losses;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Graph;
import dev.feint.nn.Network;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Tensor;
import dev.feint.train.Recipes;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import static dev.feint.onnx.OnnxFixturesTest.relativeError;
import static dev.feint.onnx.OnnxFixturesTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning an imported model: a PyTorch-exported CNN whose BatchNormalization nodes train
 * (one SGD step equals PyTorch's: batch statistics, running mean update, new weights), a few PGD
 * training steps written back as ONNX and as safetensors that give the in-memory model's logits,
 * and clear refusals of what cannot train.
 */
class OnnxTrainingTest {
    static final String BN_CNN = "fashion-cnn-bn-opset13.onnx", DEMO = "../demo/fashion-mnist-1k";

    @TempDir Path dir;

    static OnnxTraining bnCnn() { return OnnxTraining.load(resource(BN_CNN), InputPreprocessing.DEFAULT, null); }

    @Test
    void oneSgdStepThroughImportedBatchNormMatchesPyTorch() {
        OnnxTraining t = bnCnn();
        Network net = t.network();
        Tensor x = Npy.read(resource("fashion-cnn-bn.x.npy"));
        int[] y = Datasets.load(DEMO, "test").slice(0, 16).labels();           // the script's labels: the first 16 demo images
        NetworkModel eval = NetworkModel.of(net);
        assertTrue(relativeError(eval.logits(x).data(), Npy.read(resource("fashion-cnn-bn.logits.npy")).data()) < 1e-4f);
        net.train();
        Sgd sgd = new Sgd(new ArrayList<>(net.body().namedParameters().values()), 0.1f, 0f, false, 0f);
        sgd.zeroGrad();
        Losses.crossEntropy(net.forward(x), y).backward();
        sgd.step();
        float[] runningMean = ((Graph) net.body()).value("features.1.running_mean").data();
        float[] want = Npy.read(resource("fashion-cnn-bn.step-running-mean.npy")).data();
        assertTrue(relativeError(runningMean, want) < 1e-4f, "running mean after one step: error " + relativeError(runningMean, want));
        float[] after = NetworkModel.of(net).logits(x).data(), torch = Npy.read(resource("fashion-cnn-bn.step-logits.npy")).data();
        assertTrue(relativeError(after, torch) < 1e-4f, "logits after one step: error " + relativeError(after, torch));
        assertTrue(relativeError(after, Npy.read(resource("fashion-cnn-bn.logits.npy")).data()) > 1e-3f, "the step changed the model");
    }

    @Test
    void fineTunedModelWrittenAsOnnxAndSafetensorsGivesTheSameLogits() throws Exception {
        OnnxTraining t = bnCnn();
        Network net = t.network();
        Dataset data = Datasets.load(DEMO, "test").slice(0, 128);
        Map<String, Tensor> before = copy(t.weights());
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(64).seed(3).lr(1e-3f).build();
        new Trainer(cfg, Recipes.create("pgd", net, new Recipes.Options(0.1f, null, 2, null, null, 3))).fit(net, data, null);
        assertNotEquals(before.get("features.0.weight").data()[0], t.weights().get("features.0.weight").data()[0], "weights trained");
        assertNotEquals(before.get("features.1.running_var").data()[0], t.weights().get("features.1.running_var").data()[0], "statistics updated");

        Tensor x = data.slice(0, 32).images();
        float[] mem = NetworkModel.of(net).logits(x).data();
        Path onnx = dir.resolve("tuned.onnx"), st = dir.resolve("tuned.safetensors");
        Files.write(onnx, t.toOnnx(Map.of("feint.recipe", "pgd")));
        OnnxWeightsFile.save(st, t, Map.of("recipe", "pgd"));
        OnnxModel fromOnnx = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null), fromSt = OnnxWeightsFile.load(st);
        assertEquals(0f, maxAbsDiff(fromOnnx.logits(x).data(), mem), 1e-5f, "the written ONNX gives the in-memory logits");
        assertEquals(0f, maxAbsDiff(fromSt.logits(x).data(), mem), 1e-5f, "the safetensors file gives the in-memory logits");
        assertEquals("pgd", fromOnnx.imported().model().metadata().get("feint.recipe"));
        assertEquals(t.classNames(), fromSt.classNames());
        assertEquals(OnnxImport.load(resource(BN_CNN)).opHistogram(), fromOnnx.imported().opHistogram(), "the graph is the source's");
    }

    @Test
    void inputRangeAndNormalisationBecomeTheNetworksOwn() {
        InputPreprocessing p = new InputPreprocessing(new dev.feint.model.Bounds(0f, 255f), new float[] {72.9f}, new float[] {90.0f}, false, false);
        OnnxTraining t = OnnxTraining.load(resource(BN_CNN), p, null);
        assertEquals(72.9f / 255f, t.network().mean()[0], 1e-7f);
        assertEquals(90.0f / 255f, t.network().std()[0], 1e-7f);
        Tensor x = Npy.read(resource("fashion-cnn-bn.x.npy"));
        OnnxModel m = OnnxModel.load(resource(BN_CNN), p, null);
        float[] scaled = x.data().clone();
        for (int i = 0; i < scaled.length; i++) scaled[i] *= 255f;
        float d = maxAbsDiff(NetworkModel.of(t.network()).logits(x).data(), m.logits(Tensor.of(scaled, x.dims())).data());
        assertTrue(d < 1e-4f, "the network on [0, 1] is the model on [0, 255]: " + d);
    }

    @Test
    void whatCannotTrainIsRefusedNamingTheNode() {
        // A Conv weight from a Constant node: folded at load, so not a parameter.
        Proto w = Proto.floatTensor("w", new long[] {1, 1, 1, 1}, new byte[] {0, 0, (byte) 0x80, 0x3f});
        Proto constant = Proto.node("Constant", "wconst", new String[] {}, new String[] {"w"})
                .message(5, new Proto().string(1, "value").varint(20, 4).message(5, w));
        Proto conv = Proto.node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"y"});
        Proto g = new Proto().message(1, constant).message(1, conv).message(5, Proto.floatTensor("b", new long[] {1}, new byte[4]))
                .message(11, Proto.valueInfo("x", DataType.FLOAT, -1, 1, 3, 3))
                .message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 1, 3, 3));
        String m = assertThrows(FeintException.class, () -> OnnxTraining.fromBytes(Proto.model(13, g).toBytes(), "c.onnx",
                InputPreprocessing.DEFAULT, null)).getMessage();
        assertTrue(m.startsWith("c.onnx: Conv node 'conv' takes its weight 'w' from a constant Feint folds at load"), m);

        String bgr = assertThrows(FeintException.class, () -> OnnxTraining.load(resource(BN_CNN),
                new InputPreprocessing(dev.feint.model.Bounds.UNIT, new float[] {0}, new float[] {1}, true, false), null)).getMessage();
        assertTrue(bgr.contains("fine-tuning takes models fed RGB images in NCHW layout"), bgr);
    }

    @Test
    void runningStatisticsComputedByAnotherNodeAreRefused() {
        // torch.onnx merges equal initializers: a fresh BatchNorm's running_var (ones) becomes Identity(weight).
        byte[] four = new byte[4], one = {0, 0, (byte) 0x80, 0x3f};
        Proto g = new Proto().message(1, Proto.node("Identity", "dedup", new String[] {"s"}, new String[] {"var"}))
                .message(1, Proto.node("BatchNormalization", "bn", new String[] {"x", "s", "b", "mean", "var"}, new String[] {"y"}))
                .message(5, Proto.floatTensor("s", new long[] {1}, one)).message(5, Proto.floatTensor("b", new long[] {1}, four))
                .message(5, Proto.floatTensor("mean", new long[] {1}, four))
                .message(11, Proto.valueInfo("x", DataType.FLOAT, -1, 1, 2, 2))
                .message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 1, 2, 2));
        String m = assertThrows(FeintException.class, () -> OnnxTraining.fromBytes(Proto.model(13, g).toBytes(), "bn.onnx",
                InputPreprocessing.DEFAULT, null)).getMessage();
        assertTrue(m.contains("BatchNormalization node 'bn' has its running variance 'var' computed by another node"), m);
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> w) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        w.forEach((k, v) -> out.put(k, new Tensor(v.shape(), v.data().clone())));
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
