package dev.feint.nn;

import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsFile;
import dev.feint.loss.Losses;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * preact-resnet18 against PyTorch's PreActResNet-18 (the standard implementation of Rice et al.
 * 2020 / RobustBench, first stage 4 channels wide so the fixture is small; written by
 * scripts/make-preact-fixture.py): the same state_dict names, and with PyTorch's weights the same
 * logits (eval and train-mode BatchNorm) and the same input gradient.
 */
class PreActResNetTest {
    static SafetensorsFile fixture() {
        try {
            return Safetensors.read(Path.of(PreActResNetTest.class.getResource("/nn/preact-resnet18-w4.safetensors").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test void namesAreTheStateDictKeysAndThePresetHasTheStandardSize() {
        Sequential net = Presets.preActResNet18(3, 32, 32, 10, 4).build(1);
        List<?> keys = (List<?>) Json.parse(fixture().metadata().get("state_dict_keys"));
        LinkedHashSet<String> ours = new LinkedHashSet<>(net.namedParameters().keySet());
        ours.addAll(net.namedBuffers().keySet());
        ours.addAll(net.namedCounters().keySet());
        assertEquals(new LinkedHashSet<>(keys), ours);
        assertEquals(11_172_170, Presets.get("preact-resnet18", 3, 32, 32, 10).plan().parameters(), "PyTorch's count at width 64");
        assertEquals(net.parameterCount(), Long.parseLong(fixture().metadata().get("parameters")));
    }

    @Test void logitsAndInputGradientMatchPyTorchOnTheSameWeights() {
        SafetensorsFile f = fixture();
        Map<String, Tensor> t = f.tensors();
        Sequential net = Presets.preActResNet18(3, 32, 32, 10, 4).build(1);
        for (var e : net.namedParameters().entrySet()) {
            float[] src = t.get(e.getKey()).data();
            assertEquals(src.length, e.getValue().size(), e.getKey());
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
        for (var e : net.namedBuffers().entrySet()) System.arraycopy(t.get(e.getKey()).data(), 0, e.getValue(), 0, e.getValue().length);
        float[] lab = t.get("labels").data();
        int[] y = new int[lab.length];
        for (int i = 0; i < y.length; i++) y[i] = (int) lab[i];

        net.eval();
        Tensor x = Tensor.of(t.get("input").data().clone(), 4, 3, 32, 32).requiresGrad(true);
        Tensor logits = net.forward(x);
        close(t.get("logits.eval").data(), logits.data(), 1e-4f, "eval logits");
        Losses.crossEntropy(logits, y).backward();
        close(t.get("grad.eval").data(), x.grad(), 1e-3f, "input gradient");

        net.train();
        close(t.get("logits.train").data(), net.forward(Tensor.of(t.get("input").data().clone(), 4, 3, 32, 32)).data(), 2e-4f,
                "train-mode logits");
    }

    @Test void blockGradientsByCentralDifferences() {
        PreActBlock b = new PreActBlock(2, 3, 2, new SplittableRandom(4));
        b.eval();
        LayersGradientTest.checkModule("PreActBlock", b, LayersGradientTest.input(5, 1, 2, 4, 4), 1e-3f, 3e-2f);
        PreActBlock same = new PreActBlock(3, 3, 1, new SplittableRandom(8));
        same.eval();
        LayersGradientTest.checkModule("PreActBlock identity", same, LayersGradientTest.input(9, 1, 3, 3, 3), 1e-3f, 3e-2f);
    }

    /** |a - b| <= tol * max |a|, element by element. */
    private static void close(float[] want, float[] got, float tol, String what) {
        assertEquals(want.length, got.length, what);
        float scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < want.length; i++)
            if (Math.abs(want[i] - got[i]) > tol * scale && bad.size() < 5) bad.add(i + ": " + want[i] + " vs " + got[i]);
        assertTrue(bad.isEmpty(), what + ": " + bad);
    }
}
