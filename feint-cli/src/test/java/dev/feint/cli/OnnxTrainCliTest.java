package dev.feint.cli;

import dev.feint.io.Json;
import dev.feint.onnx.OnnxModel;
import dev.feint.onnx.OnnxWeightsFile;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code feint train --init model.onnx} end to end: a PyTorch-exported CNN with BatchNormalization
 * fine-tuned with PGD on Fashion-MNIST images (the demo set as both splits), its loss going down;
 * the safetensors and ONNX it writes load back (eval --model, Feint's ONNX import) with equal logits.
 */
class OnnxTrainCliTest {
    static final Path SOURCE = OnnxCliTest.ONNX.resolve("fashion-cnn-bn-opset13.onnx");

    @TempDir Path dir;

    private Path data() throws Exception {
        Path d = dir.resolve("data");
        Files.createDirectories(d);
        for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
            Path src = OnnxCliTest.DEMO.resolve("t10k-" + kind + "-ubyte.gz");
            Files.copy(src, d.resolve("train-" + kind + "-ubyte.gz"));
            Files.copy(src, d.resolve("t10k-" + kind + "-ubyte.gz"));
        }
        return d;
    }

    @Test
    void pgdFineTuningLowersTheLossAndWritesModelsThatLoadBack() throws Exception {
        Path out = dir.resolve("tuned.safetensors"), onnx = dir.resolve("tuned.onnx"), log = dir.resolve("log.jsonl");
        var r = OnnxCliTest.run("train", "--init", SOURCE.toString(), "--data", data().toString(), "--adv", "pgd", "--eps", "0.1",
                "--steps", "2", "--epochs", "2", "--batch", "64", "--limit", "128", "--test-limit", "64", "--held-out-adv", "0",
                "--schedule", "constant", "--out", out.toString(), "--onnx", onnx.toString(), "--log", log.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size());
        double first = loss(lines.get(0)), last = loss(lines.get(1));
        System.out.printf("train --init fashion-cnn-bn, PGD-2 eps 0.1: loss %.4f -> %.4f%n", first, last);
        assertTrue(last < first - 0.05, "PGD training loss goes down: epoch 1 " + first + ", epoch 2 " + last);

        OnnxModel fromOnnx = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null), fromSt = OnnxWeightsFile.load(out);
        OnnxModel source = OnnxModel.load(SOURCE, InputPreprocessing.DEFAULT, null);
        Tensor x = dev.feint.data.Datasets.load(OnnxCliTest.DEMO.toString(), "test").slice(0, 64).images();
        float[] a = fromOnnx.logits(x).data(), b = fromSt.logits(x).data(), s = source.logits(x).data();
        float same = 0, moved = 0;
        for (int i = 0; i < a.length; i++) {
            same = Math.max(same, Math.abs(a[i] - b[i]));
            moved = Math.max(moved, Math.abs(a[i] - s[i]));
        }
        assertTrue(same <= 1e-5f, "the ONNX and safetensors files hold the same model: max |diff| " + same);
        assertTrue(moved > 1e-2f, "fine-tuning changed the model: max |diff| " + moved);
        assertEquals("pgd", ((Map<?, ?>) Json.parse(fromOnnx.imported().model().metadata().get("feint.recipe"), "recipe")).get("name"));

        var e = OnnxCliTest.run("eval", "--model", out.toString(), "--data", OnnxCliTest.DEMO.toString(), "--limit", "100", "--quiet");
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void badCombinationsAreOneClearMessage() throws Exception {
        Path out = dir.resolve("x.safetensors"), d = data();
        var both = OnnxCliTest.run("train", "--arch", "mlp", "--init", SOURCE.toString(), "--data", d.toString(), "--out", out.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --arch (train a new network) or --init model.onnx (fine-tune an imported one), not both"), both.err());
        var advprop = OnnxCliTest.run("train", "--init", SOURCE.toString(), "--adv", "advprop", "--data", d.toString(), "--out", out.toString());
        assertEquals(2, advprop.code());
        assertTrue(advprop.err().contains("--adv advprop needs Feint's BatchNorm layers"), advprop.err());
        var mean = OnnxCliTest.run("train", "--arch", "mlp", "--mean", "0.5", "--data", d.toString(), "--out", out.toString());
        assertEquals(2, mean.code());
        assertTrue(mean.err().contains("--mean applies to ONNX models (--init model.onnx)"), mean.err());
        var shape = OnnxCliTest.run("train", "--init", OnnxCliTest.ONNX.resolve("small-cnn-opset13.onnx").toString(), "--data", d.toString(),
                "--out", out.toString());
        assertEquals(2, shape.code());
        assertFalse(shape.err().contains("Exception"), shape.err());
        assertFalse(Files.exists(out), "nothing written");

        // Every --arch exports now (BatchNorm included): --onnx writes the model beside the weights, and both evaluate alike.
        Path onnx = dir.resolve("x.onnx");
        var export = OnnxCliTest.run("train", "--arch", "cnn-bn", "--data", d.toString(), "--epochs", "1", "--limit", "64", "--test-limit",
                "32", "--out", out.toString(), "--onnx", onnx.toString(), "--quiet");
        assertEquals(0, export.code(), export.err());
        var a = OnnxCliTest.run("eval", "--model", out.toString(), "--data", OnnxCliTest.DEMO.toString(), "--limit", "100", "--quiet");
        var b = OnnxCliTest.run("eval", "--model", onnx.toString(), "--data", OnnxCliTest.DEMO.toString(), "--limit", "100", "--quiet");
        assertEquals(0, b.code(), b.err());
        String acc = a.out().lines().findFirst().orElseThrow().replaceAll(".*accuracy", "accuracy");
        assertTrue(b.out().contains(acc), a.out() + " vs " + b.out());
    }

    private static double loss(String line) {
        return ((Number) ((Map<?, ?>) Json.parse(line, "log")).get("loss")).doubleValue();
    }
}
