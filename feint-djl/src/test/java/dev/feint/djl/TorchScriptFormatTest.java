package dev.feint.djl;

import dev.feint.FeintException;
import dev.feint.io.Npy;
import dev.feint.model.LoadedModel;
import dev.feint.model.ModelLoadException;
import dev.feint.model.ModelOptions;
import dev.feint.model.Models;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.feint.djl.TorchScriptModelTest.LENET;
import static dev.feint.djl.TorchScriptModelTest.relativeError;
import static dev.feint.djl.TorchScriptModelTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TorchScript through {@link Models#load}: the provider found by ServiceLoader, chosen by content, its input shape required. */
class TorchScriptFormatTest {
    static final ModelOptions OPTIONS = ModelOptions.defaults().inputShape(1, 28, 28).preprocessing(LENET);

    @Test void aTorchScriptFileLoadsThroughModelsEvenUnderAnotherName(@TempDir Path tmp) throws Exception {
        Path disguised = Files.copy(resource("lenet-pgd.pt"), tmp.resolve("lenet.onnx"));
        assertEquals("torchscript", Models.format(disguised));
        LoadedModel m = Models.load(disguised, OPTIONS);
        try (TorchScriptModel pt = assertInstanceOf(TorchScriptModel.class, m.model())) {
            assertEquals("lenet.onnx", m.name());
            assertEquals("djl (libtorch)", m.metadata().get("backend"));
            assertEquals(LENET.toString(), m.metadata().get("preprocessing"));
            Tensor x = Npy.read(resource("lenet-pgd.x.npy"));
            float err = relativeError(pt.logits(x).data(), Npy.read(resource("lenet-pgd.logits.npy")).data());
            assertTrue(err < 1e-4, "logits through Models.load vs PyTorch's: relative error " + err);
        }
        assertTrue(Models.formats().contains("torchscript"), Models.formats().toString());
    }

    @Test void theInputShapeIsRequiredAndAStateDictIsNamed() {
        var shape = assertThrows(ModelLoadException.class, () -> Models.load(resource("lenet-pgd.pt"), ModelOptions.defaults().preprocessing(LENET)));
        assertEquals(ModelLoadException.Kind.MISSING, shape.kind());
        assertEquals(ModelOptions.INPUT_SHAPE, shape.parameter());
        assertEquals(resource("lenet-pgd.pt") + ": option inputShape is needed (TorchScript does not record its input shape)", shape.getMessage());
        var state = assertThrows(FeintException.class, () -> Models.load(resource("state-dict.pt"), OPTIONS));
        assertTrue(state.getMessage().contains("state-dict.pt: not a TorchScript module"), state.getMessage());
        assertTrue(Models.describe(resource("lenet-pgd.pt")).contains("parameters:   61,706"), "feint info's TorchScript summary");
    }
}
