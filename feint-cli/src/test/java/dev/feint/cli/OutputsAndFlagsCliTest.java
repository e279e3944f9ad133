package dev.feint.cli;

import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The issue's CLI cases: outputs all-or-nothing and checked first, refused values on one line, exit 2. */
class OutputsAndFlagsCliTest {
    @TempDir Path dir;

    private static CliRun run(String... args) { return CliRun.of(args); }

    private Path model() {
        Architecture a = new Architecture("tiny", new int[] {1, 6, 6}, 3,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 36, "out", 3)));
        Path m = dir.resolve("m.safetensors");
        NetworkFile.save(m, Network.create(a, 1), List.of("cat", "dog", "t shirt"), Map.of());
        return m;
    }

    @Test
    void anUnwritableOutputIsFoundBeforeTheWorkAndNothingElseIsWritten() throws Exception {
        Path data = TinyTestSet.write(dir.resolve("data"));
        Path blocker = dir.resolve("plain");
        Files.writeString(blocker, "x");
        Path md = dir.resolve("t.md"), report = dir.resolve("R"), json = blocker.resolve("out.json");
        CliRun r = run("eval", "--model", model().toString(), "--data", data.toString(), "--attacks", "fgsm", "--eps", "0.1",
                "--report", report.toString(), "--markdown", md.toString(), "--json", json.toString(), "--quiet");
        assertEquals(new CliRun(2, "feint: " + json + ": cannot write (" + blocker + " is not a directory)"), r);
        assertFalse(Files.exists(md));
        assertFalse(Files.exists(report));
        assertEquals(List.of("data", "m.safetensors", "plain"), names(dir), "no temporaries");
    }

    @Test
    void allOutputsOfAnEvaluationAreWrittenTogether() throws Exception {
        Path data = TinyTestSet.write(dir.resolve("data"));
        Path md = dir.resolve("t.md"), report = dir.resolve("R"), json = dir.resolve("e.json");
        CliRun r = run("eval", "--model", model().toString(), "--data", data.toString(), "--attacks", "fgsm", "--eps", "0.1",
                "--report", report.toString(), "--markdown", md.toString(), "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("index.html", "report.json"), names(report));
        assertEquals(List.of("R", "data", "e.json", "m.safetensors", "t.md"), names(dir));
    }

    @Test
    void trainRefusesAnUnwritableOutBeforeTheFirstEpoch() throws Exception {
        Path blocker = dir.resolve("plain");
        Files.writeString(blocker, "x");
        Path out = blocker.resolve("m.safetensors");
        CliRun r = run("train", "--arch", "mlp", "--data", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(new CliRun(2, "feint: " + out + ": cannot write (" + blocker + " is not a directory)"), r);
    }

    @Test
    void refusedFlagValuesAreOneLineNamingTheFlag() {
        assertEquals(new CliRun(2, "feint: --threads must be in [1, 256], got 0\nsee 'feint info --help'"),
                run("info", "--threads", "0", "--model", "x.safetensors"));
        assertEquals(new CliRun(2, "feint: --max-gflops must be a number in (0, 1e9], got NaN\nsee 'feint info --help'"),
                run("info", "--max-gflops", "NaN", "--model", "x.safetensors"));
        for (String[] flag : new String[][] {{"--momentum", "NaN", "--momentum must be in [0, 1), got NaN"},
                {"--weight-decay", "NaN", "--weight-decay must be a number in [0, 1), got NaN"},
                {"--weight-decay", "Infinity", "--weight-decay must be a number in [0, 1), got Infinity"},
                {"--batch", "0", "--batch must be in [1, 65536], got 0"}, {"--epochs", "0", "--epochs must be >= 1, got 0"}}) {
            CliRun t = run("train", "--arch", "mlp", "--data", dir.toString(), "--out", dir.resolve("m.safetensors").toString(),
                    "--optimizer", "sgd", flag[0], flag[1]);
            assertEquals(new CliRun(2, "feint: " + flag[2]), t);
        }
    }

    @Test
    void nonFiniteWeightsNeedAllowNonfinite() throws Exception {
        Path m = model();
        var loaded = NetworkFile.load(m);
        loaded.network().body().namedParameters().get("1.bias").data()[1] = Float.POSITIVE_INFINITY;
        NetworkFile.save(m, loaded.network(), loaded.classNames(), Map.of());
        assertEquals(new CliRun(2, "feint: " + m + ": tensor '1.bias' holds Infinity at index 1 (expected finite weights; allowNonfinite, "
                + "--allow-nonfinite in the CLI, loads it anyway)"), run("info", "--model", m.toString()));
        assertEquals(0, run("info", "--allow-nonfinite", "--model", m.toString()).code());
    }

    private static List<String> names(Path d) throws java.io.IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
