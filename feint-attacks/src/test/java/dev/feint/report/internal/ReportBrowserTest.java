package dev.feint.report.internal;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.eval.RobustnessReport;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders a real report in headless Chromium (installed by .ci/run): no console errors, every
 * figure decodes, the charts are there; saves a screenshot to target/report-screenshot.png.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static Path writeReport(Path dir) {
        Dataset all = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test");
        Dataset d = all.slice(0, 60);
        Network net = Network.create(Presets.get("lenet", 1, 28, 28, 10), 1);
        // A couple of quick epochs on the rest of the slice, so attacks have correct examples to flip.
        new dev.feint.train.Trainer(dev.feint.train.TrainConfig.builder().epochs(3).batchSize(32).seed(1).lr(3e-3f).build(),
                new dev.feint.train.StandardObjective()).fit(net, all.slice(60, all.size()), null);
        NetworkModel model = NetworkModel.of(net);
        List<Attack> attacks = List.of(AttackRegistry.create("fgsm:eps=0.1"),
                AttackRegistry.create("pgd:eps=0.1,steps=5,seed=1"));
        List<AttackOutcome> outcomes = new ArrayList<>();
        RobustnessReport r = RobustnessEvaluation.builder().model(model).data(d).attacks(attacks).eps(0.05f, 0.1f)
                .outcomes(outcomes::add).build().run();
        var input = new ReportInput("lenet", Map.of("seed", "1"), model, d, r, outcomes);
        return new HtmlReport("feint eval (test)", "test", 1, List.of(input, input)).write(dir);
    }

    @Test
    void reportRendersWithoutErrorsAndWithEveryFigure() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed (.ci/run installs it)");
        Path target = Path.of("target").toAbsolutePath();
        Path dir = Files.createDirectories(target.resolve("report-browser-test"));
        Path page = writeReport(dir);
        String html = Files.readString(page);
        assertFalse(html.contains("http://") && html.contains("<script src="), "the report must not load anything from the network");
        int images = count(html, "<img "), charts = count(html, "<svg class=\"chart\"");
        assertTrue(images >= 6, "figures in the page: " + images);
        assertTrue(charts >= 3, "charts in the page: " + charts);
        String title = render(dir, page);
        assertTrue(title.contains("broken=0"), "broken figures: " + title);
        assertTrue(title.matches(".*imgs=([6-9]|[1-9][0-9]+) .*"), "figures rendered: " + title);
        assertFalse(title.contains("charts=0"), "charts rendered: " + title);
        Path shot = target.resolve("report-screenshot.png");
        Files.deleteIfExists(shot);
        chromium(dir, "--window-size=1200,2000", "--screenshot=" + shot, page.toUri().toString());
        assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
    }

    /**
     * Loads the page in an iframe of a harness page, which writes what it found (images, broken
     * images, chart lines, SVG images) into its title; fails on any console message.
     */
    static String render(Path dir, Path page) throws Exception {
        Path harness = dir.resolve("harness.html");
        Files.writeString(harness, """
                <!DOCTYPE html><html><head><title>pending</title></head><body>
                <iframe id="r" src="PAGE" width="1200" height="800"></iframe>
                <script>
                document.getElementById('r').addEventListener('load', () => {
                  const doc = document.getElementById('r').contentDocument;
                  const imgs = [...doc.images];
                  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).length;
                  const svgImages = [...doc.querySelectorAll('svg image')].length;
                  const charts = doc.querySelectorAll('svg.chart polyline').length;
                  const drawn = [...doc.querySelectorAll('svg.chart polyline')].filter(p => p.getBBox().width > 0).length;
                  document.title = 'imgs=' + imgs.length + ' broken=' + broken + ' charts=' + charts + ' drawn=' + drawn + ' svgimages=' + svgImages;
                });
                </script></body></html>
                """.replace("PAGE", dir.relativize(page).toString()));
        Run dom = chromium(dir, "--allow-file-access-from-files", "--dump-dom", harness.toUri().toString());
        String title = dom.out.replaceAll("(?s).*<title>(.*?)</title>.*", "$1");
        assertTrue(title.startsWith("imgs="), "harness did not run: " + dom.out.substring(0, Math.min(300, dom.out.length())));
        for (String line : dom.err.split("\n"))
            if (line.contains("CONSOLE") || line.contains("Uncaught")) throw new AssertionError("console message while rendering: " + line);
        return title;
    }

    @Test
    void linearExplanationPageRendersItsCharts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed (.ci/run installs it)");
        Path target = Path.of("target").toAbsolutePath();
        Path dir = Files.createDirectories(target.resolve("linear-browser-test"));
        Dataset all = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test");
        List<LinearHtml.Entry> entries = new ArrayList<>();
        for (String[] m : new String[][] {{"softmax-regression", "14"}, {"softmax-regression", "28"}, {"mlp", "28"}}) {
            int side = Integer.parseInt(m[1]);
            Network net = Network.create(Presets.get(m[0], 1, side, side, 10), 1);
            Dataset d = all.slice(0, 40).preprocessed(dev.feint.data.Preprocessing.fit(new int[] {1, side, side}));
            var r = dev.feint.eval.LinearExplanation.builder().model(NetworkModel.of(net)).data(d).eps(0.01f, 0.05f, 0.1f, 0.2f).build().run();
            entries.add(new LinearHtml.Entry(m[0] + "-" + side, m[0], m[0].equals("mlp") ? "ends in a linear layer" : "linear in its input", r));
        }
        Path page;
        try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
            page = LinearHtml.stage(out, dir.resolve("page"), "feint explain-linear (test)", "test", entries, Map.of());
            out.commit();
        }
        String html = Files.readString(page);
        assertEquals(4, count(html, "<svg class=\"chart\""), "one chart per model and the dimension chart");
        String title = render(dir, page);
        // 3 lines per model chart (measured, clipped, predicted); 2 per architecture in the dimension chart, and
        // mlp's, at one size only, is a single point (an empty box). Every other line is drawn with a non-empty box.
        assertTrue(title.contains("charts=13 drawn=11"), "chart lines rendered: " + title);
        Path shot = target.resolve("linear-screenshot.png");
        Files.deleteIfExists(shot);
        chromium(dir, "--window-size=1200,1700", "--screenshot=" + shot, page.toUri().toString());
        assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
    }

    private record Run(String out, String err) {}

    private static Run chromium(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out");
        assertEquals(0, p.exitValue(), "chromium failed: " + new String(err));
        return new Run(new String(out), new String(err));
    }

    private static int count(String s, String needle) {
        int c = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) c++;
        return c;
    }
}
