package dev.feint.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint demo --model}: the demo's job on a user's own model (here the PyTorch-trained ONNX CNN). */
class DemoModelTest {
    @TempDir Path dir;

    @Test
    void runsTheDemoOnAnOnnxModelAndRefusesTheOrtBackend() throws Exception {
        String old = System.getProperty("feint.home");
        System.setProperty("feint.home", "..");                 // the bundled data, seen from feint-cli
        try {
            Path report = dir.resolve("report");
            OnnxCliTest.Run r = OnnxCliTest.run("demo", "--model", OnnxCliTest.MODEL.toString(), "--limit", "40", "--pixel-limit", "0",
                    "--aa-limit", "0", "--eps", "0.1", "--report", report.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            String row = r.out().lines().filter(l -> l.startsWith("fashion-cnn-opset13.onnx")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
            // clean, FGSM, PGD-20, Square at eps 0.1: an undefended CNN loses most of its accuracy to PGD.
            String[] cells = row.trim().split("\\s+");
            double clean = Double.parseDouble(cells[1].replace("%", "")), pgd = Double.parseDouble(cells[3].replace("%", ""));
            assertTrue(clean > 70 && pgd < clean - 30, row);
            assertFalse(r.out().contains("the adversarially trained one keeps"), "no bundled-pair verdict for a user's model");
            assertTrue(Files.isRegularFile(report.resolve("index.html")));

            OnnxCliTest.Run ort = OnnxCliTest.run("demo", "--model", OnnxCliTest.MODEL.toString(), "--backend", "ort", "--report",
                    dir.resolve("ort").toString(), "--quiet");
            assertEquals(2, ort.code());
            assertTrue(ort.err().contains("--backend ort"), ort.err());
            assertFalse(Files.exists(dir.resolve("ort")), "nothing written");

            OnnxCliTest.Run off = OnnxCliTest.run("demo", "--offset", "1000", "--report", dir.resolve("off").toString(), "--quiet");
            assertEquals(2, off.code());
            assertEquals("feint: --offset must be in [0, 1000) for the 1000 demo images, got 1000", off.err().strip());
            assertFalse(Files.exists(dir.resolve("off")), "nothing written");
        } finally {
            if (old == null) System.clearProperty("feint.home"); else System.setProperty("feint.home", old);
        }
    }
}
