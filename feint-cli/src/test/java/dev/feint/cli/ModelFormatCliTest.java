package dev.feint.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --model goes through Models.load: the content decides the format, the library's errors come back as flags. */
class ModelFormatCliTest {
    static final Path ONNX = Path.of("../feint-onnx/src/test/resources/onnx/fashion-cnn-opset13.onnx");
    static final Path LENET = Path.of("../demo/models/fmnist-lenet.safetensors");
    static final String DEMO = "../demo/fashion-mnist-1k";

    @TempDir Path dir;

    static Run run(String... args) {
        OnnxCliTest.Run r = OnnxCliTest.run(args);
        return new Run(r.code(), r.out(), r.err().strip());
    }

    record Run(int code, String out, String err) {}

    static String accuracy(Run r) {
        assertEquals(0, r.code, r.err);
        return r.out.lines().findFirst().orElseThrow().replaceAll(".*accuracy", "accuracy");
    }

    @Test void modelsUnderMisleadingNamesAreReadByTheirContent() throws Exception {
        Path onnxAsWeights = Files.copy(ONNX, dir.resolve("cnn.safetensors")), weightsAsOnnx = Files.copy(LENET, dir.resolve("lenet.onnx"));
        assertEquals(accuracy(run("eval", "--model", ONNX.toString(), "--data", DEMO, "--limit", "100", "--quiet")),
                accuracy(run("eval", "--model", onnxAsWeights.toString(), "--data", DEMO, "--limit", "100", "--quiet")));
        assertEquals(accuracy(run("eval", "--model", LENET.toString(), "--data", DEMO, "--limit", "100", "--quiet")),
                accuracy(run("eval", "--model", weightsAsOnnx.toString(), "--data", DEMO, "--limit", "100", "--quiet")));
        Run info = run("info", "--model", onnxAsWeights.toString());
        assertEquals(0, info.code, info.err);
        assertTrue(info.out.contains("opset:"), "the ONNX summary: " + info.out);
    }

    @Test void libraryErrorsComeBackAsFlags() throws Exception {
        Path weightsAsOnnx = Files.copy(LENET, dir.resolve("lenet.onnx")), text = Files.writeString(dir.resolve("notes.onnx"), "hello world\n");
        Path pt = Path.of("../feint-djl/src/test/resources/djl/lenet-pgd.pt");
        String[][] cases = {
                {"eval", "--model", weightsAsOnnx.toString(), "--data", DEMO, "--std", "0.5"},
                {"eval", "--model", weightsAsOnnx.toString(), "--data", DEMO, "--model-classes", DEMO + "/classes.txt"},
                {"eval", "--model", ONNX.toString(), "--data", DEMO, "--model-input", "1,28,28"},
                {"attack", "--model", text.toString(), "--data", DEMO, "--attack", "fgsm", "--eps", "0.1"},
                {"info", "--model", text.toString()},
                {"eval", "--model", pt.toString(), "--data", DEMO, "--model-input", "1,28,28"},
                {"eval", "--model", weightsAsOnnx.toString(), "--data", DEMO, "--backend", "ort"}};
        String[] want = {
                "--std applies to ONNX and TorchScript models (--model file.onnx, file.pt); " + weightsAsOnnx + " carries its own preprocessing",
                "--model-classes applies to ONNX and TorchScript models (--model file.onnx, file.pt); " + weightsAsOnnx
                        + " carries its own preprocessing and class names",
                "--model-input applies to TorchScript models (--model file.pt); " + ONNX + " records its input shape",
                "--model " + text + ": not a model file Feint reads (it is text starting 'hello world'); expected Feint weights (.safetensors),",
                "--model " + text + ": not a model file Feint reads",
                "--model " + pt + ": TorchScript models need feint-djl (DJL and libtorch), which this jar does not bundle",
                "--backend ort runs ONNX models (--model file.onnx); " + weightsAsOnnx + " is not one"};
        for (int c = 0; c < cases.length; c++) {
            Run r = run(cases[c]);
            assertEquals(2, r.code, String.join(" ", cases[c]) + ": " + r.err);
            assertTrue(r.err.contains(want[c]), r.err);
            assertFalse(r.err.contains("\n") || r.err.contains("\tat "), "one line, no stack trace: " + r.err);
        }
    }
}
