package dev.feint.cli;

import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint attack} end to end on a 12-image, 3-class, 6x6 dataset and a random linear model. */
class AttackCommandTest {
    @TempDir Path dir;

    private Path data() throws Exception {
        return TinyTestSet.write(dir.resolve("data"));
    }

    private Path model(int side) {
        Path m = dir.resolve("m" + side + ".safetensors");
        Network net = Network.create(new Architecture("lin", new int[] {1, side, side}, 3,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", side * side, "out", 3))), 3);
        NetworkFile.save(m, net, List.of("cat", "dog", "t shirt"), Map.of());
        return m;
    }

    @Test
    void squareWithoutNormIsLinfAsEveryOtherAttack() throws Exception {
        Path json = dir.resolve("sq.json");
        CliRun r = CliRun.of("attack", "--model", model(6).toString(), "--data", data().toString(), "--limit", "4", "--attack", "square",
                "--eps", "0.1", "--queries", "20", "--out-json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Json.write(Json.read(json)).contains("\"norm\":\"linf\""), Files.readString(json));
    }

    @Test
    void writesNpyJsonAndFigures() throws Exception {
        Path npy = dir.resolve("out/adv.npy"), json = dir.resolve("out/result.json"), images = dir.resolve("out/img");
        CliRun r = CliRun.of("attack", "--model", model(6).toString(), "--data", data().toString(), "--limit", "10", "--attack", "pgd",
                "--eps", "0.2", "--steps", "5", "--targeted", "--target", "least-likely", "--out-npy", npy.toString(),
                "--out-json", json.toString(), "--out-images", images.toString(), "--images", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        Tensor adv = Npy.read(npy);
        assertArrayEquals(new int[] {10, 1, 6, 6}, adv.dims());
        Map<?, ?> doc = (Map<?, ?>) Json.read(json);
        List<?> ex = (List<?>) doc.get("examples");
        assertEquals(10, ex.size());
        Map<?, ?> e0 = (Map<?, ?>) ex.get(0);
        assertTrue(e0.get("target") instanceof Number, "targeted runs report the target");
        assertEquals(true, ((Map<?, ?>) doc.get("attack")).get("targeted"));
        try (Stream<Path> s = Files.list(images)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(4, names.size(), names.toString());
            assertTrue(names.contains("index.md"));
            assertTrue(names.get(0).startsWith("00000-cat-to-"), names.toString());
        }
    }

    @Test
    void userErrorsExitTwoAndWriteNothing() throws Exception {
        Path data = data(), m6 = model(6), json = dir.resolve("r.json"), npy = dir.resolve("a.npy");
        String[][] cases = {
                {"--attack", "fgsm", "--eps", "2", "|", "fgsm: eps 2.0 exceeds the largest linf distance 1.0"},
                {"--attack", "fgsm", "--eps", "-0.1", "|", "fgsm: --eps -0.1, expected a finite number >= 0"},
                {"--attack", "pgd", "--steps", "0", "|", "pgd: --steps 0, expected a whole number >= 1"},
                {"--attack", "pgd", "--norm", "l3", "|", "unknown norm 'l3' (expected linf, l2, l1 or l0)"},
                {"--attack", "pgd", "--targeted", "--target", "7", "|", "--target 7 is outside the model's classes 0..2"},
                {"--attack", "pgd", "--target", "1", "|", "--target needs --targeted"},
                {"--attack", "deepfool", "--targeted", "|", "deepfool: targeted attacks are not supported"},
                {"--attack", "magic", "|", "unknown attack 'magic'"},
        };
        for (String[] c : cases) {
            int bar = List.of(c).indexOf("|");
            List<String> args = new java.util.ArrayList<>(List.of("attack", "--model", m6.toString(), "--data", data.toString(),
                    "--out-json", json.toString(), "--out-npy", npy.toString(), "--quiet"));
            args.addAll(List.of(c).subList(0, bar));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(c[bar + 1]), "expected '" + c[bar + 1] + "' in: " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(json) || Files.exists(npy), "nothing written for " + c[bar + 1]);
        }
        CliRun r = CliRun.of("attack", "--model", model(5).toString(), "--data", data.toString(), "--attack", "fgsm",
                "--out-json", json.toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model input [1, 5, 5] does not match the data's [1, 6, 6]"), r.err());
        assertFalse(Files.exists(json));
    }

    private static Map<?, ?> map(Object o) { return (Map<?, ?>) o; }

    private static List<?> list(Object o) { return (List<?>) o; }

    private static double dbl(Object o) { return ((Number) o).doubleValue(); }

    @Test
    void onePixelReportsQueriesAndTheChangedPixels() throws Exception {
        Path data = data(), npy = dir.resolve("op/adv.npy"), json = dir.resolve("op/result.json"), images = dir.resolve("op/img");
        CliRun r = CliRun.of("attack", "--model", model(6).toString(), "--data", data.toString(), "--attack", "onepixel", "--pixels", "2",
                "--population", "20", "--queries", "201", "--seed", "3", "--out-npy", npy.toString(), "--out-json", json.toString(),
                "--out-images", images.toString(), "--images", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> doc = map(Json.read(json));
        Map<?, ?> attack = map(doc.get("attack"));
        assertEquals("onepixel", attack.get("name"));
        assertEquals(2L, attack.get("pixels"));
        assertEquals(201L, attack.get("queries"));
        Tensor adv = Npy.read(npy);
        float[] clean = dev.feint.data.Datasets.load(data.toString(), "test").images().data(), a = adv.data();
        List<?> ex = list(doc.get("examples"));
        assertEquals(12, ex.size());
        int successes = 0, correct = 0;
        double q = 0;
        for (int i = 0; i < ex.size(); i++) {
            Map<?, ?> e = map(ex.get(i));
            long queries = (Long) e.get("queries");
            assertTrue(queries >= 1 && queries <= 201, "queries within the budget: " + e);
            List<?> px = list(e.get("pixels"));
            assertEquals((long) px.size(), e.get("pixelL0"));
            assertTrue(px.size() <= 2, "at most --pixels pixels: " + e);
            assertEquals((long) px.size(), e.get("l0"), "grayscale: one coordinate per pixel");
            boolean[] listed = new boolean[36];
            for (Object o : px) {
                Map<?, ?> p = map(o);
                int row = ((Long) p.get("row")).intValue(), col = ((Long) p.get("col")).intValue();
                listed[row * 6 + col] = true;
                assertEquals(dbl(list(p.get("values")).get(0)), a[i * 36 + row * 6 + col], 1e-6, "pixel value is the stored one");
            }
            for (int j = 0; j < 36; j++)
                assertEquals(listed[j], Math.abs(a[i * 36 + j] - clean[i * 36 + j]) > 1e-6f, "example " + i + " coordinate " + j);
            boolean ok = (Long) e.get("cleanPrediction") == (Long) e.get("label");
            if (ok) correct++;
            if (ok && (Boolean) e.get("success")) {
                successes++;
                q += queries;
                assertTrue(px.size() >= 1, "a success changes a pixel");
            }
        }
        assertTrue(successes > 0, "two pixels of a 6x6 image should flip a random linear model somewhere");
        Map<?, ?> s = map(doc.get("summary"));
        assertEquals((double) successes / correct, dbl(s.get("attackSuccessRate")), 1e-9);
        assertEquals(q / successes, dbl(map(s.get("queriesToSuccess")).get("mean")), 1e-9);
        assertTrue(dbl(map(s.get("pixelL0")).get("max")) <= 2);
        List<?> curve = list(s.get("successVsQueries"));
        assertEquals(dbl(s.get("attackSuccessRate")), dbl(map(curve.get(curve.size() - 1)).get("successRate")), 1e-9);
        String index = Files.readString(images.resolve("index.md"));
        assertTrue(index.contains("changed pixels (row, col)"), index);
    }

    @Test
    void squareStaysInTheBallAndCountsQueries() throws Exception {
        Path json = dir.resolve("sq.json"), npy = dir.resolve("sq.npy");
        CliRun r = CliRun.of("attack", "--model", model(6).toString(), "--data", data().toString(), "--attack", "square", "--norm", "linf",
                "--eps", "0.3", "--queries", "40", "--p-init", "0.3", "--out-json", json.toString(), "--out-npy", npy.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> doc = map(Json.read(json));
        assertEquals("square", map(doc.get("attack")).get("name"));
        assertEquals(0.3, dbl(map(doc.get("attack")).get("pInit")), 1e-6);
        int successes = 0;
        for (Object o : list(doc.get("examples"))) {
            Map<?, ?> e = map(o);
            assertTrue((Long) e.get("queries") >= 1 && (Long) e.get("queries") <= 40, e.toString());
            assertTrue(dbl(e.get("linf")) <= 0.3 + 1e-6, e.toString());
            assertFalse(e.containsKey("pixels"), "only pixel attacks list pixels");
            if ((Boolean) e.get("success") && e.get("cleanPrediction").equals(e.get("label"))) successes++;
        }
        Map<?, ?> s = map(doc.get("summary"));
        assertTrue(successes > 0, "eps 0.3 on a random linear model should succeed somewhere");
        assertEquals((long) successes, Math.round(dbl(s.get("attackSuccessRate")) * 12 * dbl(s.get("cleanAccuracy"))));
        assertTrue(s.containsKey("queriesToSuccess") && s.containsKey("successVsQueries"));
        assertEquals(null, s.get("pixelL0"));
        assertArrayEquals(new int[] {12, 1, 6, 6}, Npy.read(npy).dims());
    }

    @Test
    void blackBoxUserErrorsExitTwoAndWriteNothing() throws Exception {
        Path data = data(), m6 = model(6), json = dir.resolve("r.json"), npy = dir.resolve("a.npy"), img = dir.resolve("img");
        String[][] cases = {
                {"--attack", "onepixel", "--queries", "0", "|", "--queries must be >= 1, got 0"},
                {"--attack", "square", "--norm", "linf", "--eps", "0.1", "--queries", "0", "|", "--queries must be >= 1, got 0"},
                {"--attack", "onepixel", "--pixels", "0", "|", "--pixels must be >= 1, got 0"},
                {"--attack", "onepixel", "--pixels", "-2", "|", "--pixels must be >= 1, got -2"},
                {"--attack", "square", "--norm", "linf", "--eps", "0", "|", "square: --eps 0.0, expected a finite number > 0"},
                {"--attack", "square", "--norm", "l2", "--eps", "-1", "|", "square: --eps -1.0, expected a finite number > 0"},
                {"--attack", "hsja", "--eps", "0", "|", "hsja: --eps 0.0, expected a finite number > 0"},
                {"--attack", "boundary", "--eps", "-0.5", "|", "boundary: --eps -0.5, expected a finite number > 0"},
                {"--attack", "simba", "--eps", "0", "|", "simba: --eps 0.0, expected a finite number > 0"},
                {"--attack", "square", "--eps", "0.1", "--queries", "0", "|", "--queries must be >= 1, got 0"},
                {"--attack", "square", "--norm", "l1", "--eps", "0.1", "|", "square: --norm l1, expected linf or l2"},
                {"--attack", "onepixel", "--queries", "100", "|", "onepixel: --queries 100, expected a whole number >= 401"},
                {"--attack", "onepixel", "--eps", "0.1", "|", "onepixel does not take --eps"},
                {"--attack", "pixel-search", "--pixels", "2", "|", "pixel-search does not take --pixels"},
                {"--attack", "square", "--norm", "linf", "--eps", "0.1", "--step-size", "0.01", "|", "square does not take --step-size"},
                {"--attack", "simba", "--basis", "fourier", "|", "simba: --basis fourier, expected pixel or dct"},
                {"--attack", "fgsm", "--queries", "10", "|", "fgsm does not take --queries"},
                {"--attack", "pgd", "--pixels", "3", "|", "pgd does not take --pixels"},
                {"--attack", "magic", "|", "unknown attack 'magic' (expected one of "
                        + String.join(", ", dev.feint.attack.AttackRegistry.names()) + ")"},
        };
        for (String[] c : cases) {
            int bar = List.of(c).indexOf("|");
            List<String> args = new java.util.ArrayList<>(List.of("attack", "--model", m6.toString(), "--data", data.toString(),
                    "--out-json", json.toString(), "--out-npy", npy.toString(), "--out-images", img.toString(), "--quiet"));
            args.addAll(List.of(c).subList(0, bar));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(c[bar + 1]), "expected '" + c[bar + 1] + "' in: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one message: " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(json) || Files.exists(npy) || Files.exists(img), "nothing written for " + c[bar + 1]);
        }
    }
}
