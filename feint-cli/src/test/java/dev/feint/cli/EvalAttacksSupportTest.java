package dev.feint.cli;

import dev.feint.io.Json;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint eval --attacks} with black-box and pixel attacks, on a 12-image 6x6 dataset and a random linear model. */
class EvalAttacksSupportTest {
    @TempDir Path dir;

    private static CliRun run(List<String> args) { return CliRun.of(args.toArray(String[]::new)); }

    private List<String> base() throws Exception {
        Path d = dir.resolve("data");
        if (!Files.exists(d)) {
            TinyTestSet.write(d);
            Network net = Network.create(new Architecture("lin", new int[] {1, 6, 6}, 3,
                    List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 36, "out", 3))), 3);
            NetworkFile.save(dir.resolve("m.safetensors"), net, List.of("cat", "dog", "t shirt"), Map.of());
        }
        return new ArrayList<>(List.of("eval", "--model", dir.resolve("m.safetensors").toString(), "--data", d.toString(), "--quiet"));
    }

    private static Map<?, ?> map(Object o) { return (Map<?, ?>) o; }

    private static List<?> list(Object o) { return (List<?>) o; }

    @Test
    void anAttacksOwnParametersFollowItsName() throws Exception {
        Path json = dir.resolve("own.json");
        List<String> args = base();
        args.addAll(List.of("--attacks", "tifgsm:kernelSize=5,kernelSigma=2,fgsm,tifgsm", "--eps", "0.1", "--steps", "3", "--json", json.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        List<?> results = list(map(map(Json.read(json)).get("robustness")).get("results"));
        List<Object> kernels = new ArrayList<>();
        for (Object o : results) kernels.add(map(map(o).get("parameters")).get("kernelSize"));
        assertEquals(java.util.Arrays.asList(5L, null, "auto"), kernels, "tifgsm:kernelSize=5, fgsm (none), tifgsm (auto): " + results);
        assertEquals(2.0, ((Number) map(map(results.get(0)).get("parameters")).get("kernelSigma")).doubleValue());
        for (String[] bad : new String[][] {
                {"tifgsm:kernel=5", "feint: --attacks tifgsm:kernel=5: tifgsm does not take kernel (it takes "},
                {"tifgsm:kernelSize=4", "feint: tifgsm: --kernel-size 4, expected auto or an odd whole number >= 1"},
                {"pgd:eps=0.3", "feint: --attacks pgd:eps=0.3: the radii come from --eps and the norm from --norm"}}) {
            List<String> a = base();
            a.addAll(List.of("--attacks", bad[0], "--eps", "0.1"));
            CliRun e = run(a);
            assertEquals(2, e.code(), e.err());
            assertTrue(e.err().startsWith(bad[1]), e.err());
        }
    }

    @Test
    void pixelAttacksAreReportedOnceBesideTheEpsTable() throws Exception {
        Path json = dir.resolve("eval.json"), md = dir.resolve("eval.md");
        List<String> args = base();
        args.addAll(List.of("--attacks", "fgsm,square,onepixel,pixel-search", "--norm", "linf", "--eps", "0.1,0.3",
                "--queries", "201", "--population", "20", "--json", json.toString(), "--markdown", md.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        Map<?, ?> rob = map(map(Json.read(json)).get("robustness"));
        List<?> results = list(rob.get("results"));
        assertEquals(4, results.size(), "fgsm and square at two eps each; pixel attacks not per eps");
        for (Object o : results) assertFalse(String.valueOf(map(o).get("attack")).contains("pixel"), o.toString());
        Map<?, ?> sq = map(results.get(3));
        assertEquals("square", sq.get("attack"));
        assertEquals(201L, map(sq.get("parameters")).get("queries"));
        assertTrue(sq.containsKey("queriesToSuccess") && sq.containsKey("successVsQueries"), sq.toString());
        List<?> pixel = list(rob.get("pixelAttacks"));
        assertEquals(2, pixel.size());
        Map<?, ?> op = map(pixel.get(0)), ps = map(pixel.get(1));
        assertEquals("onepixel", op.get("attack"));
        assertEquals("l0", op.get("norm"));
        assertEquals(1L, op.get("pixels"));
        assertEquals(20L, map(op.get("parameters")).get("population"));
        assertTrue(op.containsKey("pixelL0") && op.containsKey("queriesToSuccess"), op.toString());
        assertEquals("pixel-search", ps.get("attack"));
        List<?> worst = list(rob.get("pixelWorstCase"));
        assertEquals(1, worst.size());
        double w = ((Number) map(worst.get(0)).get("robustAccuracy")).doubleValue();
        assertTrue(w <= ((Number) op.get("robustAccuracy")).doubleValue() + 1e-12 && w <= ((Number) ps.get("robustAccuracy")).doubleValue() + 1e-12);
        assertEquals(2, list(rob.get("worstCase")).size(), "linf only, per eps: pixel attacks are not mixed in");
        String text = Files.readString(md);
        assertTrue(text.contains("| square | linf |"), text);
        assertTrue(text.contains("Pixel attacks"), text);
        assertTrue(text.contains("| onepixel | 1 |"), text);
        assertTrue(text.contains("| **worst case** | 1 |"), text);
    }

    @Test
    void fgsmPgdAndSquareWithoutNormAreAllLinf() throws Exception {
        Path json = dir.resolve("linf.json");
        List<String> args = base();
        args.addAll(List.of("--attacks", "fgsm,pgd,square", "--eps", "0.1", "--steps", "2", "--queries", "20", "--json", json.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        List<?> results = list(map(map(Json.read(json)).get("robustness")).get("results"));
        assertEquals(3, results.size());
        for (Object o : results) assertEquals("linf", map(o).get("norm"), o.toString());
        assertEquals(1, list(map(map(Json.read(json)).get("robustness")).get("worstCase")).size(), "one norm, one eps");
    }

    @Test
    void autoAttackReportsItsStagesInJsonMarkdownAndHtml() throws Exception {
        Path json = dir.resolve("aa.json"), md = dir.resolve("aa.md"), html = dir.resolve("aa-report");
        List<String> args = base();
        args.addAll(List.of("--attacks", "autoattack,pgd", "--eps", "0.3", "--version", "plus", "--steps", "3", "--queries", "50",
                "--json", json.toString(), "--markdown", md.toString(), "--report", html.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        Map<?, ?> aa = map(list(map(map(Json.read(json)).get("robustness")).get("results")).get(0));
        assertEquals("autoattack", aa.get("attack"));
        assertEquals("plus", map(aa.get("parameters")).get("version"));
        List<?> stages = list(aa.get("stages"));
        List<String> names = new ArrayList<>();
        for (Object o : stages) names.add((String) map(o).get("stage"));
        List<String> expected = new ArrayList<>(List.of("clean", "apgd-ce", "apgd-dlr", "fab", "square", "apgd-t", "fab-t"));
        if (!dev.feint.attack.AttackRegistry.has("fab")) expected.removeAll(List.of("fab", "fab-t"));
        assertEquals(expected, names);
        double last = ((Number) map(stages.get(stages.size() - 1)).get("robustAccuracy")).doubleValue();
        assertEquals(((Number) aa.get("robustAccuracy")).doubleValue(), last, 1e-12);
        assertTrue(Files.readString(md).contains("autoattack stages (linf, eps 0.3)"));
        assertTrue(Files.readString(html.resolve("index.html")).contains("autoattack stages"));
        List<String> bad = base();
        bad.addAll(List.of("--attacks", "pgd", "--eps", "0.1", "--version", "rand"));
        assertTrue(run(bad).err().contains("--version applies only to autoattack, and --attacks has none of them"));
        bad = base();
        bad.addAll(List.of("--attacks", "autoattack", "--eps", "0.1", "--version", "fast"));
        CliRun b = run(bad);
        assertEquals(2, b.code());
        assertTrue(b.err().contains("autoattack: --version fast, expected standard, plus or rand"), b.err());
    }

    @Test
    void aucsAreInJsonMarkdownAndHtml() throws Exception {
        Path json = dir.resolve("auc.json"), md = dir.resolve("auc.md"), html = dir.resolve("auc-report");
        List<String> args = base();
        args.addAll(List.of("--attacks", "fgsm,onepixel", "--eps", "0.3", "--population", "20", "--json", json.toString(),
                "--markdown", md.toString(), "--report", html.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        Map<?, ?> rob = map(map(Json.read(json)).get("robustness"));
        assertEquals(3, list(map(rob.get("cleanRocAuc")).get("perClass")).size());
        Map<?, ?> fgsm = map(list(rob.get("results")).get(0)), op = map(list(rob.get("pixelAttacks")).get(0));
        for (Map<?, ?> m : List.of(fgsm, op)) {
            assertTrue(map(m.get("rocAuc")).containsKey("macro"), m.toString());
            assertTrue(map(m.get("detectionAuc")).containsKey("adversarial"), m.toString());
        }
        assertTrue(Files.readString(md).contains("| onepixel (1 px) |"), Files.readString(md));
        String page = Files.readString(html.resolve("index.html"));
        assertTrue(page.contains("ROC-AUC and detection AUC") && page.contains("<th>t shirt</th>"), page);
    }

    @Test
    void pixelAttacksAloneNeedNoEps() throws Exception {
        Path json = dir.resolve("px.json");
        List<String> args = base();
        args.addAll(List.of("--attacks", "onepixel", "--pixels", "2", "--population", "10", "--queries", "31", "--json", json.toString()));
        CliRun r = run(args);
        assertEquals(0, r.code(), r.err());
        Map<?, ?> rob = map(map(Json.read(json)).get("robustness"));
        assertEquals(0, list(rob.get("results")).size());
        assertEquals(2L, map(list(rob.get("pixelAttacks")).get(0)).get("pixels"));
    }

    @Test
    void userErrorsExitTwoAndWriteNothing() throws Exception {
        Path json = dir.resolve("e.json"), md = dir.resolve("e.md");
        String[][] cases = {
                {"--attacks", "onepixel", "--queries", "0", "|", "--queries must be >= 1, got 0"},
                {"--attacks", "onepixel", "--pixels", "0", "|", "--pixels must be >= 1, got 0"},
                {"--attacks", "fgsm,square", "--norm", "linf", "--eps", "0.1,0", "--queries", "20", "|",
                        "square: --eps 0.0, expected a finite number > 0"},
                {"--attacks", "onepixel", "--eps", "0.1", "|", "--eps does not apply to the pixel attacks (onepixel, pixel-search)"},
                {"--attacks", "fgsm", "--eps", "0.1", "--pixels", "2", "|", "--pixels applies only to onepixel, and --attacks has none of them"},
                {"--attacks", "fgsm", "--eps", "0.1", "--queries", "20", "|", "--queries applies only to "
                        + String.join(", ", dev.feint.attack.AttackRegistry.entries().stream().filter(e -> e.takes("queries"))
                        .map(dev.feint.attack.AttackEntry::name).sorted().toList()) + ", and --attacks has none of them"},
                {"--attacks", "onepixel", "--queries", "100", "|", "onepixel: --queries 100, expected a whole number >= 401"},
                {"--attacks", "fgsm", "|", "--attacks needs --eps"},
                {"--attacks", "pgd,magic", "--eps", "0.1", "|", "--attacks: unknown attack 'magic'"},
        };
        for (String[] c : cases) {
            int bar = List.of(c).indexOf("|");
            List<String> args = base();
            args.addAll(List.of("--json", json.toString(), "--markdown", md.toString()));
            args.addAll(List.of(c).subList(0, bar));
            CliRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(c[bar + 1]), "expected '" + c[bar + 1] + "' in: " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(json) || Files.exists(md), "nothing written for " + c[bar + 1]);
        }
    }
}
