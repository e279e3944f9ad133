package dev.feint.djl;

import dev.feint.cli.Main;
import dev.feint.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint eval/attack/info --model file.pt} in-process, with feint-djl on the classpath as ./feint puts it. */
class TorchScriptCliTest {
    static final String PT = TorchScriptModelTest.resource("lenet-pgd.pt").toString(), DEMO = "../demo/fashion-mnist-1k";
    static final String[] LENET = {"--model-input", "1,28,28", "--mean", "0.28604060", "--std", "0.35302424"};

    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            int code = Main.run(new PrintWriter(err, true), args);
            return new Run(code, out.toString(), err.toString().strip());
        } finally {
            System.setOut(old);
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] o = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static double robust(Path json) {
        return ((Number) ((Map<?, ?>) ((Map<?, ?>) Json.read(json)).get("summary")).get("robustAccuracy")).doubleValue();
    }

    @Test
    void attackThroughDjlMatchesTheFeintWeightsFile() {
        String[] common = {"--data", DEMO, "--limit", "60", "--attack", "pgd", "--eps", "0.1", "--steps", "5", "--quiet"};
        Path viaDjl = dir.resolve("djl.json"), feint = dir.resolve("feint.json");
        Run r = run(concat(concat(new String[] {"attack", "--model", PT}, LENET), concat(common, "--out-json", viaDjl.toString())));
        assertEquals(0, r.code, r.err);
        Run f = run(concat(new String[] {"attack", "--model", "../demo/models/fmnist-lenet-pgd.safetensors"}, concat(common, "--out-json", feint.toString())));
        assertEquals(0, f.code, f.err);
        assertEquals(robust(feint), robust(viaDjl), 0.01, "PGD-5 robust accuracy through DJL and on the Feint weights file");
    }

    @Test
    void evalAndInfo() {
        Run e = run(concat(new String[] {"eval", "--model", PT, "--data", DEMO, "--limit", "50", "--model-classes", DEMO + "/classes.txt"}, LENET));
        assertEquals(0, e.code, e.err);
        assertTrue(e.out.contains("lenet-pgd.pt on fashion-mnist-1k/test (50 images): accuracy"), e.out);
        assertTrue(e.out.contains("Ankle boot"), "class names from --model-classes: " + e.out);
        Run i = run("info", "--model", PT);
        assertEquals(0, i.code, i.err);
        assertTrue(i.out.contains("parameters:   61,706"), i.out);
        assertTrue(i.out.contains("11.weight"), i.out);
    }

    @Test
    void badModelsAndFlagsExitTwoWithOneLine() {
        String state = TorchScriptModelTest.resource("state-dict.pt").toString();
        String[][] cases = {
                concat(new String[] {"eval", "--model", "no-such.pt", "--data", DEMO}, LENET),
                concat(new String[] {"eval", "--model", state, "--data", DEMO}, LENET),
                {"eval", "--model", PT, "--data", DEMO},
                {"eval", "--model", PT, "--data", DEMO, "--model-input", "3,32,32"},
                {"eval", "--model", "../demo/models/fmnist-lenet.safetensors", "--data", DEMO, "--model-input", "1,28,28"},
                {"eval", "--model", "../feint-onnx/src/test/resources/onnx/fashion-cnn-opset13.onnx", "--data", DEMO, "--model-input", "1,28,28"},
                {"info", "--model", state}};
        String[] want = {"no-such.pt: no such file", "state-dict.pt: not a TorchScript module", "--model-input is needed for the TorchScript model",
                "lenet-pgd.pt: the model does not run on one input [1, 3, 32, 32] (is the input shape right?): Given groups=1",
                "--model-input applies to TorchScript models", "--model-input applies to TorchScript models", "state-dict.pt: not a TorchScript module"};
        for (int c = 0; c < cases.length; c++) {
            Run r = run(cases[c]);
            assertEquals(2, r.code, String.join(" ", cases[c]) + ": " + r.err);
            assertTrue(r.err.contains(want[c]), r.err);
            assertFalse(r.err.contains("\n") || r.err.contains("\tat "), "one line, no stack trace: " + r.err);
        }
    }
}
