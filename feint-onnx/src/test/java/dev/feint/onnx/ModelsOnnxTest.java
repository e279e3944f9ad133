package dev.feint.onnx;

import dev.feint.attack.Attacks;
import dev.feint.data.Datasets;
import dev.feint.eval.Evaluation;
import dev.feint.eval.RobustnessResult;
import dev.feint.model.LoadedModel;
import dev.feint.model.Models;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.feint.onnx.OnnxFixturesTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Models#load} finds the ONNX format through ServiceLoader once feint-onnx is on the class path. */
class ModelsOnnxTest {
    @Test void anOnnxFileLoadsThroughModelsAndIsEvaluated() {
        LoadedModel m = Models.load(resource("fashion-cnn-opset13.onnx"));
        OnnxModel onnx = assertInstanceOf(OnnxModel.class, m.model());
        assertEquals(Preprocessing.DEFAULT, onnx.preprocessing());
        assertEquals("fashion-cnn-opset13.onnx", m.name());
        assertEquals("onnx", m.metadata().get("format"));
        RobustnessResult r = Evaluation.of(m).on(Datasets.open(Path.of("../demo/fashion-mnist-1k")), 30)
                .attack(Attacks.pgd().eps(0.1).steps(5)).run();
        assertTrue(r.cleanAccuracy() > 0.6 && r.robustAccuracy("pgd") < r.cleanAccuracy(), r.toString());
    }
}
