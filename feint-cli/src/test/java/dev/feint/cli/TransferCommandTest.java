package dev.feint.cli;

import dev.feint.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code feint eval --surrogate} and {@code feint transfer} on the demo models (the natural LeNet
 * as surrogate, the PGD-trained one as target) and 40 demo images.
 */
class TransferCommandTest {
    static final Path DEMO = Path.of("..", "demo");
    static final String NATURAL = DEMO.resolve("models/fmnist-lenet.safetensors").toString(),
            ROBUST = DEMO.resolve("models/fmnist-lenet-pgd.safetensors").toString(), DATA = DEMO.resolve("fashion-mnist-1k").toString();

    @TempDir Path dir;

    private static Map<?, ?> map(Object o) { return (Map<?, ?>) o; }

    private static double num(Object o) { return ((Number) o).doubleValue(); }

    @Test
    void evalWithSurrogateReportsWhiteBoxBesideTransfer() throws Exception {
        Path json = dir.resolve("t.json"), md = dir.resolve("t.md"), html = dir.resolve("html");
        CliRun r = CliRun.of("eval", "--model", ROBUST, "--surrogate", NATURAL, "--data", DATA, "--limit", "40", "--attacks", "fgsm,mifgsm",
                "--steps", "5", "--eps", "0.1", "--json", json.toString(), "--markdown", md.toString(), "--report", html.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> o = map(Json.read(json));
        assertEquals("fmnist-lenet", o.get("surrogate"));
        double targetClean = num(map(((List<?>) o.get("targets")).getFirst()).get("cleanAccuracy"));
        List<?> rows = (List<?>) o.get("rows");
        assertEquals(2, rows.size());
        for (Object row : rows) {
            double wb = num(map(row).get("whiteBoxRobustAccuracy")), tr = num(map(map(row).get("transferRobustAccuracy")).get("fmnist-lenet-pgd"));
            // The PGD-trained target resists examples crafted on the natural model far better than the surrogate itself does.
            assertTrue(wb < 0.5 * num(o.get("surrogateCleanAccuracy")), "white-box " + wb);
            assertTrue(tr > wb && tr <= targetClean, "transfer " + tr + " white-box " + wb + " target clean " + targetClean);
        }
        assertTrue(Files.readString(md).contains("| white-box fmnist-lenet | transfer fmnist-lenet-pgd |"));
        String page = Files.readString(html.resolve("index.html"));
        assertTrue(page.contains("transfer fmnist-lenet-pgd") && page.contains("class=\"heat\""), page);
        assertTrue(Files.exists(html.resolve("report.json")));
    }

    @Test
    void transferMatrixIsAHeatTable() throws Exception {
        Path html = dir.resolve("m"), json = dir.resolve("m.json");
        CliRun r = CliRun.of("transfer", "--models", NATURAL + "," + ROBUST, "--data", DATA, "--limit", "20", "--attacks", "fgsm", "--eps", "0.1",
                "--json", json.toString(), "--report", html.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<?> m = (List<?>) map(((List<?>) map(Json.read(json)).get("matrices")).getFirst()).get("robustAccuracy");
        assertEquals(2, m.size());
        double natOnNat = num(((List<?>) m.get(0)).get(0)), natOnRobust = num(((List<?>) m.get(0)).get(1));
        assertTrue(natOnRobust > natOnNat, "row natural: " + m.get(0));
        assertTrue(Files.readString(html.resolve("index.html")).contains("crafted on"));
    }

    @Test
    void badTransferFlagsAreOneLineErrors() {
        CliRun r = CliRun.of("eval", "--model", ROBUST, "--surrogate", NATURAL, "--data", DATA, "--limit", "5", "--attacks", "deepfool", "--eps", "0.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("feint: --attacks holds deepfool, which has no eps budget"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        r = CliRun.of("transfer", "--models", NATURAL, "--data", DATA, "--limit", "5", "--attacks", "fgsm", "--eps", "0.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--models must hold at least two models for a transfer matrix, got 1"), r.err());
        r = CliRun.of("eval", "--model", ROBUST, "--surrogate", NATURAL, "--data", DATA, "--limit", "5", "--attacks", "fgsm", "--eps", "0.1",
                "--target", "random");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--target: transfer evaluations are untargeted"), r.err());
    }
}
