package dev.feint.bench;

import ai.onnxruntime.OnnxTensor;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.NetworkModel;
import dev.feint.onnx.OnnxTraining;
import dev.feint.model.InputPreprocessing;
import dev.feint.train.Recipes;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PyTorch-exported model fine-tuned by Feint (PGD steps through its BatchNormalization) and written back: ONNX Runtime runs it and gives Feint's logits. */
class FineTunedOnnxOrtTest {
    @TempDir Path dir;

    @Test
    void onnxRuntimeGivesTheFineTunedModelsLogits() throws Exception {
        OnnxTraining t = OnnxTraining.load(Path.of("../feint-onnx/src/test/resources/onnx/fashion-cnn-bn-opset13.onnx"), InputPreprocessing.DEFAULT, null);
        Dataset data = Datasets.load("../demo/fashion-mnist-1k", "test").slice(0, 32);
        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(32).seed(5).lr(1e-3f).build();
        new Trainer(cfg, Recipes.create("pgd", t.network(), new Recipes.Options(0.1f, null, 2, null, null, 5))).fit(t.network(), data, null);
        Path onnx = dir.resolve("tuned.onnx");
        Files.write(onnx, t.toOnnx(Map.of("feint.recipe", "pgd")));
        var x = data.slice(0, 16).images();
        float[] feint = NetworkModel.of(t.network()).logits(x).data();
        try (OrtPeer p = new OrtPeer(onnx, 1); OnnxTensor in = p.input(x.data(), 16, 1, 28, 28)) {
            float d = SideBySide.maxAbsDiff(feint, p.forward(in));
            assertTrue(d <= 1e-4f, "ONNX Runtime vs Feint on the fine-tuned model: max |diff| " + d);
        }
    }
}
