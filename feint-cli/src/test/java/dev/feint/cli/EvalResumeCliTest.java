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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** feint eval --journal / --resume: a run cut short after k batches and resumed writes the uninterrupted run's JSON. */
class EvalResumeCliTest {
    @TempDir Path dir;

    private static void run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void resumingFromAnyPrefixOfTheJournalGivesTheSameResults() throws Exception {
        Path data = TinyTestSet.write(dir.resolve("data"));
        Architecture a = new Architecture("tiny", new int[] {1, 6, 6}, 3,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 36, "out", 3)));
        Path model = dir.resolve("m.safetensors");
        NetworkFile.save(model, Network.create(a, 1), List.of("cat", "dog", "t shirt"), Map.of());
        Path journal = dir.resolve("j"), json = dir.resolve("e.json");
        String[] args = {"eval", "--model", model.toString(), "--data", data.toString(), "--attacks", "pgd,square", "--norm", "linf",
                "--eps", "0.05,0.1", "--queries", "20", "--batch", "5", "--journal", journal.toString(), "--json", json.toString(), "--quiet"};
        run(args);
        Object whole = untimed(Json.read(json));
        List<String> lines = Files.readAllLines(journal.resolve("journal.jsonl"));
        assertEquals(1 + 4 * 3, lines.size(), "the fingerprint, then 3 batches of 5, 5 and 2 images for each of 4 runs");
        for (int keep : new int[] {1, 6, 12}) {
            Files.write(journal.resolve("journal.jsonl"), lines.subList(0, keep));
            Files.delete(json);
            List<String> resume = new ArrayList<>(List.of(args));
            resume.add("--resume");
            run(resume.toArray(String[]::new));
            assertEquals(whole, untimed(Json.read(json)), "resumed after " + (keep - 1) + " batches");
            assertEquals(lines, Files.readAllLines(journal.resolve("journal.jsonl")), "the journal is completed as before");
        }
        assertTrue(Files.readString(json).contains("\"robustness\""));
    }

    private static Object untimed(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) if (!String.valueOf(e.getKey()).endsWith("Seconds")) out.put(e.getKey(), untimed(e.getValue()));
            return out;
        }
        if (o instanceof List<?> l) return l.stream().map(EvalResumeCliTest::untimed).toList();
        return o;
    }
}
