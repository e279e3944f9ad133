package dev.feint.cli;

import dev.feint.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --model file.onnx} end to end: a CNN trained by PyTorch on Fashion-MNIST and exported
 * to ONNX (scripts/make-onnx-fixtures.py), attacked with PGD-20 on the 1,000 demo images; Feint's
 * robust accuracy is PyTorch's within 2 points.
 */
class OnnxCliTest {
    static final Path ONNX = Path.of("../feint-onnx/src/test/resources/onnx");
    static final Path MODEL = ONNX.resolve("fashion-cnn-opset13.onnx"), DEMO = Path.of("../demo/fashion-mnist-1k");

    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            int code = Main.run(new PrintWriter(buf, true), args);
            return new Run(code, out.toString(), buf.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void pgdRobustAccuracyMatchesPyTorchs() throws Exception {
        Map<?, ?> torch = (Map<?, ?>) Json.read(ONNX.resolve("fashion-cnn.pgd.json"));
        Path json = dir.resolve("pgd.json");
        Run r = run("attack", "--model", MODEL.toString(), "--data", DEMO.toString(), "--attack", "pgd", "--norm", "linf",
                "--eps", "0.1", "--steps", "20", "--out-json", json.toString(), "--quiet");
        assertEquals(0, r.code, r.err);
        Map<?, ?> s = (Map<?, ?>) ((Map<?, ?>) Json.read(json)).get("summary");
        double clean = ((Number) s.get("cleanAccuracy")).doubleValue(), robust = ((Number) s.get("robustAccuracy")).doubleValue();
        assertEquals(((Number) torch.get("cleanAccuracy")).doubleValue(), clean, 1e-6, "same predictions as PyTorch on 1,000 images");
        double want = ((Number) torch.get("pgd20RobustAccuracy")).doubleValue();
        System.out.printf("fashion-cnn PGD-20 eps 0.1 on 1,000 images: Feint robust %.4f, PyTorch %.4f (clean %.4f)%n", robust, want, clean);
        assertTrue(Math.abs(robust - want) <= 0.02, "Feint PGD-20 robust accuracy " + robust + ", PyTorch's " + want);
        assertTrue(robust < clean - 0.3, "PGD lowers accuracy a lot on an undefended model: " + robust + " vs " + clean);
    }

    @Test
    void evalAndInfo() {
        Run e = run("eval", "--model", MODEL.toString(), "--data", DEMO.toString(), "--quiet");
        assertEquals(0, e.code, e.err);
        assertTrue(e.out.contains("accuracy 85.60%"), e.out);
        Run i = run("info", "--model", MODEL.toString());
        assertEquals(0, i.code, i.err);
        for (String want : new String[] {"opset:        13", "input:        input float [?, 1, 28, 28]", "output:       logits float [?, 10]",
                "parameters:   114,314", "Conv                 2", "fused kernels: 3"})
            assertTrue(i.out.contains(want), "missing '" + want + "' in:\n" + i.out);
    }

    @Test
    void exportWritesAModelThatEvaluatesAsTheWeightsFileDoes() throws Exception {
        Path weights = dir.resolve("m.safetensors"), onnx = dir.resolve("m.onnx");
        // cnn-bn: BatchNorm1d and 2d go out as BatchNormalization on the running statistics.
        dev.feint.nn.Network net = dev.feint.nn.Network.create(dev.feint.nn.Presets.get("cnn-bn", 1, 28, 28, 10), 5);
        dev.feint.nn.NetworkFile.save(weights, net, java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of());
        Run r = run("export", "--model", weights.toString(), "--onnx", onnx.toString());
        assertEquals(0, r.code, r.err);
        Run a = run("eval", "--model", weights.toString(), "--data", DEMO.toString(), "--limit", "200", "--quiet");
        Run b = run("eval", "--model", onnx.toString(), "--data", DEMO.toString(), "--limit", "200", "--quiet");
        assertEquals(0, b.code, b.err);
        String acc = a.out.lines().findFirst().orElseThrow().replaceAll(".*accuracy", "accuracy");
        assertTrue(b.out.contains(acc), a.out + " vs " + b.out);
        Run bad = run("export", "--model", weights.toString(), "--onnx", dir.toString());
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("is a directory"), bad.err);
    }

    @Test
    void badOnnxFlagsAndFilesExit2WithOneLine() throws Exception {
        Run range = run("eval", "--model", MODEL.toString(), "--data", DEMO.toString(), "--input-range", "0,2");
        assertEquals(2, range.code);
        assertEquals("feint: --input-range must be 0,1 or 0,255, got '0,2'", range.err.strip());
        Run mean = run("eval", "--model", MODEL.toString(), "--data", DEMO.toString(), "--mean", "0.5,0.5");
        assertEquals(2, mean.code);
        assertEquals("feint: mean and std have 2 values but the model's input has 1 channels", mean.err.strip());
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2});
        Run bad = run("info", "--model", junk.toString());
        assertEquals(2, bad.code, bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
        assertTrue(bad.err.contains("declares 268435455 bytes but only 2 remain"), bad.err);
    }
}
