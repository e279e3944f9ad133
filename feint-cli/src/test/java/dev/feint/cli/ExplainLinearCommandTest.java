package dev.feint.cli;

import dev.feint.io.Json;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.nn.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint explain-linear} on softmax regressions at 14x14 and 28x28 and an MLP, over demo images fitted to each. */
class ExplainLinearCommandTest {
    static final String DATA = Path.of("..", "demo", "fashion-mnist-1k").toString();
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot");

    @TempDir Path dir;

    private Path save(String arch, int side) {
        Path p = dir.resolve(arch + "-" + side + ".safetensors");
        NetworkFile.save(p, Network.create(Presets.get(arch, 1, side, side, 10), 7), CLASSES, Map.of());
        return p;
    }

    private static Map<?, ?> map(Object o) { return (Map<?, ?>) o; }

    private static double num(Object o) { return ((Number) o).doubleValue(); }

    @Test
    void linearModelsMeasureWhatTheyPredictAndTheReportHasItsCharts() throws Exception {
        Path s14 = save("softmax-regression", 14), s28 = save("softmax-regression", 28), mlp = save("mlp", 28);
        Path json = dir.resolve("l.json"), md = dir.resolve("l.md"), html = dir.resolve("html");
        CliRun r = CliRun.of("explain-linear", "--model", s14 + "," + s28 + "," + mlp, "--data", DATA, "--fit", "--limit", "30",
                "--eps", "0.01,0.1,0.3", "--json", json.toString(), "--markdown", md.toString(), "--report", html.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<?> models = (List<?>) map(Json.read(json)).get("models");
        assertEquals(3, models.size());
        for (int i = 0; i < 2; i++) {
            Map<?, ?> m = map(models.get(i));
            assertEquals("linear in its input", m.get("kind"));
            for (Object o : (List<?>) m.get("points")) {
                Map<?, ?> p = map(o);
                assertEquals(num(p.get("predicted")), num(p.get("measured")), 1e-4 * num(p.get("predicted")), "model " + i + " " + p);
                assertTrue(num(p.get("maxRelativeDeviation")) < 1e-3, "model " + i + " " + p);
            }
        }
        assertEquals(196L, map(models.get(0)).get("inputSize"));
        assertEquals(784L, map(models.get(1)).get("inputSize"));
        Map<?, ?> deep = map(models.get(2));
        assertEquals("ends in a linear layer", deep.get("kind"));
        Map<?, ?> far = map(((List<?>) deep.get("points")).getLast());
        assertTrue(num(far.get("maxRelativeDeviation")) > 1e-3, "the MLP bends at eps 0.3: " + far);
        String mdText = Files.readString(md);
        assertTrue(mdText.contains("| softmax-regression-14 | linear in its input | 1x14x14 | 196 |"), mdText);
        String page = Files.readString(html.resolve("index.html"));
        assertTrue(page.contains("logit-gap change vs eps") && page.contains("vs input dimension n"), "charts in the page");
        assertTrue(Files.exists(html.resolve("report.json")));
    }

    @Test
    void badFlagsAreOneLineErrorsAndWriteNothing() {
        Path s = save("softmax-regression", 28), json = dir.resolve("x.json");
        CliRun r = CliRun.of("explain-linear", "--model", s.toString(), "--data", DATA, "--eps", "0.1,0", "--json", json.toString());
        assertEquals(2, r.code());
        assertEquals("feint: --eps must be in (0, 1], got 0.0", r.err());
        r = CliRun.of("explain-linear", "--model", s.toString(), "--data", DATA, "--limit", "-1");
        assertEquals(2, r.code());
        assertEquals("feint: --limit must be >= 0 (0: all), got -1", r.err());
        r = CliRun.of("explain-linear", "--model", s.toString(), "--data", DATA, "--batch", "0");
        assertEquals(2, r.code());
        assertEquals("feint: --batch must be >= 1, got 0", r.err());
        assertFalse(Files.exists(json));
    }
}
