package dev.feint.cli;

import dev.feint.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.feint.cli.OnnxCliTest.DEMO;
import static dev.feint.cli.OnnxCliTest.MODEL;
import static dev.feint.cli.OnnxCliTest.run;
import static dev.feint.cli.OrtBackendCliTest.ATAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX models in {@code feint audit}, {@code feint transfer} and {@code feint eval --surrogate}: the
 * PyTorch-trained Fashion-MNIST CNN beside the demo LeNet (a Feint weights file), and the CNN with an
 * op Feint lacks as a transfer target answered by ONNX Runtime.
 */
class OnnxAuditTransferCliTest {
    static final Path LENET = Path.of("../demo/models/fmnist-lenet.safetensors");

    @TempDir Path dir;

    private static Map<?, ?> map(Object o) { return (Map<?, ?>) o; }

    @Test
    void auditsAnOnnxModelAndRefusesOnnxRuntime() throws Exception {
        Path json = dir.resolve("audit.json");
        var r = run("audit", "--model", MODEL.toString(), "--data", DEMO.toString(), "--limit", "8", "--eps", "0.1", "--steps", "10",
                "--restarts", "2", "--queries", "50", "--targets", "2", "--surrogate", LENET.toString(), "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> audit = map(map(Json.read(json)).get("audit"));
        List<?> checks = (List<?>) audit.get("checks");
        assertTrue(checks.size() >= 8, "the standard checks plus transfer: " + audit.keySet() + " " + checks);
        assertTrue(checks.toString().contains("transfer"), checks.toString());
        var ort = run("audit", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--eps", "0.1");
        assertEquals(2, ort.code(), ort.err());
        assertTrue(ort.err().startsWith("feint: --backend ort: the audit needs gradients"), ort.err());
    }

    @Test
    void transferMatrixMixesOnnxAndWeightsFiles() throws Exception {
        Path json = dir.resolve("matrix.json");
        var r = run("transfer", "--models", MODEL + "," + LENET, "--data", DEMO.toString(), "--limit", "60", "--attacks", "fgsm",
                "--eps", "0.15", "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> m = map(Json.read(json));
        assertEquals(List.of("fashion-cnn-opset13", "fmnist-lenet"), m.get("models"));
        List<?> rows = (List<?>) map(((List<?>) m.get("matrices")).getFirst()).get("robustAccuracy");
        double whiteBoxOnnx = ((Number) ((List<?>) rows.get(0)).get(0)).doubleValue();
        double clean = ((Number) ((List<?>) m.get("cleanAccuracy")).get(0)).doubleValue();
        assertTrue(whiteBoxOnnx < clean - 0.3, "FGSM crafted on the ONNX CNN breaks it: " + whiteBoxOnnx + " vs clean " + clean);
    }

    @Test
    void surrogateCraftedExamplesTransferToAModelAnsweredByOnnxRuntime() throws Exception {
        Path json = dir.resolve("transfer.json");
        var r = run("eval", "--model", ATAN.toString(), "--backend", "ort", "--surrogate", LENET.toString(), "--data", DEMO.toString(),
                "--limit", "60", "--attacks", "pgd", "--eps", "0.15", "--steps", "10", "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> t = map(Json.read(json));
        double clean = ((Number) map(((List<?>) t.get("targets")).getFirst()).get("cleanAccuracy")).doubleValue();
        Map<?, ?> row = map(((List<?>) t.get("rows")).getFirst());
        double transfer = ((Number) map(row.get("transferRobustAccuracy")).get("fashion-cnn-atan")).doubleValue();
        assertTrue(transfer < clean - 0.1, "PGD on the LeNet transfers to the ONNX CNN: " + transfer + " vs clean " + clean);
    }
}
