package dev.feint.cli;

import dev.feint.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.feint.cli.OnnxCliTest.DEMO;
import static dev.feint.cli.OnnxCliTest.MODEL;
import static dev.feint.cli.OnnxCliTest.ONNX;
import static dev.feint.cli.OnnxCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --backend ort} end to end: ONNX Runtime answers the queries of black-box attacks, loads a
 * graph with an op Feint does not import (fashion-cnn-atan.onnx: the Fashion-MNIST CNN with Atan on
 * its logits), refuses gradient attacks with one line, and the outputs say which backend answered.
 */
class OrtBackendCliTest {
    static final Path ATAN = ONNX.resolve("fashion-cnn-atan.onnx");

    @TempDir Path dir;

    @Test
    void aGraphFeintCannotImportIsEvaluatedByOnnxRuntime() {
        var feint = run("eval", "--model", ATAN.toString(), "--data", DEMO.toString(), "--quiet");
        assertEquals(2, feint.code(), feint.err());
        assertTrue(feint.err().contains("Atan"), feint.err());
        var ort = run("eval", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--quiet");
        assertEquals(0, ort.code(), ort.err());
        // Atan keeps the ranking: exactly the predictions Feint makes on the CNN without it
        assertTrue(ort.out().contains("accuracy 85.60%"), ort.out());
        assertTrue(ort.out().contains("(queries answered by ort (ONNX Runtime "), ort.out());
    }

    @Test
    void closingTheLoadedModelClosesItsOnnxRuntimeSession() {
        OnnxOptions flags = new OnnxOptions();
        flags.backend = "ort";
        LoadedModel loaded = LoadedModel.load(ATAN, flags);
        var m = loaded.model();
        var x = dev.feint.tensor.Tensor.of(new float[m.inputSize()], 1, m.inputShape()[0], m.inputShape()[1], m.inputShape()[2]);
        assertEquals(1, m.predict(x).length);
        loaded.close();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> m.logits(x));
        assertTrue(e.getMessage().startsWith(ATAN + ": the ONNX Runtime session was closed"), e.getMessage());
    }

    @Test
    void gradientAttacksAndWrongFlagsAreOneLineExit2() {
        String need = "needs gradients, which --backend ort does not give (ONNX Runtime only answers queries): use --backend feint "
                + "(the default), or a black-box attack: ";
        var attack = run("attack", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--attack", "pgd");
        assertEquals(2, attack.code(), attack.err());
        assertEquals(1, attack.err().strip().lines().count(), attack.err());
        assertTrue(attack.err().startsWith("feint: --attack pgd " + need), attack.err());
        var eval = run("eval", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--attacks", "square,fgsm",
                "--eps", "0.1");
        assertEquals(2, eval.code(), eval.err());
        assertTrue(eval.err().startsWith("feint: --attacks fgsm " + need) && eval.out().isEmpty(), eval.err() + eval.out());
        var bad = run("eval", "--model", MODEL.toString(), "--backend", "onnxruntime", "--data", DEMO.toString());
        assertEquals(2, bad.code());
        assertEquals("feint: --backend must be feint or ort, got 'onnxruntime'", bad.err().strip());
    }

    @Test
    void squareThroughOnnxRuntimeAndTheReportsNameTheBackend() throws Exception {
        Path json = dir.resolve("a.json");
        var a = run("attack", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--limit", "40",
                "--attack", "square", "--eps", "0.1", "--queries", "300", "--out-json", json.toString(), "--quiet");
        assertEquals(0, a.code(), a.err());
        Map<?, ?> doc = (Map<?, ?>) Json.read(json);
        assertTrue(((Map<?, ?>) doc.get("input")).get("backend").toString().startsWith("ort (ONNX Runtime "), doc.toString());
        Map<?, ?> s = (Map<?, ?>) doc.get("summary");
        double clean = ((Number) s.get("cleanAccuracy")).doubleValue(), robust = ((Number) s.get("robustAccuracy")).doubleValue();
        assertTrue(robust < clean - 0.2, "square at eps 0.1 breaks an undefended CNN through ORT: " + robust + " vs clean " + clean);

        Path md = dir.resolve("r.md"), report = dir.resolve("report"), ej = dir.resolve("e.json");
        var e = run("eval", "--model", ATAN.toString(), "--backend", "ort", "--data", DEMO.toString(), "--limit", "20",
                "--attacks", "spsa", "--eps", "0.1", "--queries", "300", "--markdown", md.toString(), "--report", report.toString(),
                "--json", ej.toString(), "--quiet");
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.readString(md).startsWith("Queries answered by: ort (ONNX Runtime "), Files.readString(md));
        assertTrue(Files.readString(report.resolve("index.html")).contains("Queries answered by ort (ONNX Runtime "));
        assertTrue(((Map<?, ?>) Json.read(ej)).get("backend").toString().startsWith("ort"));
    }
}
