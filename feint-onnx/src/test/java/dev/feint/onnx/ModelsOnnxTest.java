package dev.feint.onnx;

import dev.feint.attack.Attacks;
import dev.feint.data.Datasets;
import dev.feint.eval.Evaluation;
import dev.feint.eval.RobustnessResult;
import dev.feint.model.Bounds;
import dev.feint.model.InputPreprocessing;
import dev.feint.model.LoadedModel;
import dev.feint.model.ModelLoadException;
import dev.feint.model.ModelOptions;
import dev.feint.model.Models;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.feint.onnx.OnnxFixturesTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Models#load} finds the ONNX formats through ServiceLoader once feint-onnx is on the path, and decides by content. */
class ModelsOnnxTest {
    @Test void anOnnxFileLoadsThroughModelsAndIsEvaluated() {
        LoadedModel m = Models.load(resource("fashion-cnn-opset13.onnx"));
        OnnxModel onnx = assertInstanceOf(OnnxModel.class, m.model());
        assertEquals(InputPreprocessing.DEFAULT, onnx.preprocessing());
        assertEquals("fashion-cnn-opset13.onnx", m.name());
        assertEquals("onnx", m.metadata().get("format"));
        RobustnessResult r = Evaluation.of(m).on(Datasets.open(Path.of("../demo/fashion-mnist-1k")), 30)
                .attack(Attacks.pgd().eps(0.1).steps(5)).run();
        assertTrue(r.cleanAccuracy() > 0.6 && r.robustAccuracy("pgd") < r.cleanAccuracy(), r.toString());
    }

    @Test void preprocessingAndClassNamesComeFromTheOptions() {
        var pre = new InputPreprocessing(new Bounds(0f, 255f), new float[] {72.9f}, new float[] {90f}, false, false);
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        LoadedModel m = Models.load(resource("fashion-cnn-opset13.onnx"), ModelOptions.defaults().preprocessing(pre).classNames(names));
        OnnxModel direct = OnnxModel.load(resource("fashion-cnn-opset13.onnx"), pre, names);
        assertEquals(pre, ((OnnxModel) m.model()).preprocessing());
        assertEquals(new Bounds(0f, 255f), m.model().bounds());
        assertEquals(names, m.classNames());
        Tensor x = Tensor.full(100f, 2, 1, 28, 28);
        assertArrayEquals(direct.logits(x).data(), m.model().logits(x).data());
    }

    @Test void theContentDecidesNotTheExtension(@TempDir Path tmp) throws Exception {
        Path disguised = Files.copy(resource("small-cnn-opset17.onnx"), tmp.resolve("small.pt"));
        assertEquals("onnx", Models.format(disguised));
        LoadedModel m = Models.load(disguised);
        Tensor x = Tensor.zeros(1, 3, 32, 32);
        assertArrayEquals(OnnxModel.load(resource("small-cnn-opset17.onnx"), InputPreprocessing.DEFAULT, null).logits(x).data(),
                m.model().logits(x).data());
        var shape = assertThrows(ModelLoadException.class, () -> Models.load(disguised, ModelOptions.defaults().inputShape(3, 32, 32)));
        assertEquals(ModelOptions.INPUT_SHAPE, shape.parameter());
        assertEquals(disguised + ": option inputShape is not taken by format onnx (it records its input shape)", shape.getMessage());
    }

    @Test void aFineTunedOnnxModelSavedAsSafetensorsLoadsWithItsOwnPreprocessing(@TempDir Path tmp) {
        var pre = new InputPreprocessing(Bounds.UNIT, new float[] {0.3f}, new float[] {0.4f}, false, false);
        OnnxTraining t = OnnxTraining.load(resource("fashion-cnn-bn-opset13.onnx"), pre, null);
        Path st = tmp.resolve("tuned.onnx");   // a misleading name: the content is safetensors
        OnnxWeightsFile.save(st, t, Map.of("recipe", "pgd"));
        assertEquals("onnx-safetensors", Models.format(st));
        LoadedModel m = Models.load(st);
        assertEquals(pre, ((OnnxModel) m.model()).preprocessing());
        assertEquals("pgd", m.metadata().get("recipe"));
        assertTrue(!m.metadata().containsKey("onnx"), "the stored graph is left out of the metadata");
        Tensor x = Tensor.full(0.5f, 2, 1, 28, 28);
        assertArrayEquals(OnnxWeightsFile.load(st).logits(x).data(), m.model().logits(x).data());
        var names = assertThrows(ModelLoadException.class, () -> Models.load(st, ModelOptions.defaults().classNames(List.of("x"))));
        assertEquals(ModelLoadException.Kind.NOT_TAKEN, names.kind());
        assertTrue(Models.formats().containsAll(List.of("safetensors", "onnx", "onnx-safetensors")), Models.formats().toString());
    }

    @Test void torchScriptStillNamesItsArtifactAndOnnxSaysItIsThere(@TempDir Path tmp) throws Exception {
        var e = assertThrows(ModelLoadException.class, () -> Models.load(Path.of("../feint-djl/src/test/resources/djl/lenet-pgd.pt")));
        assertEquals("dev.feint:feint-djl", e.artifact());
        Path text = Files.writeString(tmp.resolve("m.onnx"), "hello");
        String formats = "Feint weights (.safetensors), ONNX (.onnx) or TorchScript (.pt, through DJL's PyTorch engine) with dev.feint:feint-djl, not on the path";
        assertTrue(assertThrows(ModelLoadException.class, () -> Models.load(text)).getMessage().endsWith("expected " + formats));
        assertEquals(tmp.resolve("none.onnx") + ": no such file (expected a model file: " + formats + ")",
                assertThrows(dev.feint.FeintException.class, () -> Models.load(tmp.resolve("none.onnx"))).getMessage());
        assertTrue(Models.describe(resource("small-cnn-opset13.onnx")).contains("opset"), "feint info's ONNX summary");
    }
}
