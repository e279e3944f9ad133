package dev.feint.cli;

import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.io.Json;
import dev.feint.io.Png;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --skip-bad}: a truncated PNG and a text file named .png among good images; without the flag, exit 2 naming the file. */
class SkipBadTest {
    @TempDir Path dir;
    static final Path MODEL = Path.of("..", "demo", "models", "fmnist-lenet.safetensors");

    @Test void corruptImagesStopTheRunOrAreSkippedAndCounted() throws IOException {
        Dataset idx = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test");
        Path folder = dir.resolve("images");
        int[] perClass = new int[10];
        for (int i = 0; i < 60; i++) Png.write(folder.resolve(idx.label(i) + String.format("/%04d.png", i)), idx.example(i), 1);
        for (int i = 0; i < 60; i++) perClass[idx.label(i)]++;
        assertTrue(Arrays.stream(perClass).allMatch(c -> c > 0), "every class has an image");
        Path good = folder.resolve(idx.label(5) + String.format("/%04d.png", 5));
        byte[] png = Files.readAllBytes(good);
        Path truncated = Files.write(good.resolveSibling("0000-truncated.png"), Arrays.copyOf(png, png.length - 40));
        Path text = Files.writeString(folder.resolve(idx.label(7) + "/0000-text.png"), "a text file, not a PNG");

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path json = dir.resolve("eval.json");
        int code = Main.run(new PrintWriter(buf, true), "eval", "--quiet", "--model", MODEL.toString(), "--data", folder.toString(),
                "--json", json.toString());
        assertEquals(2, code, buf.toString());
        String err = buf.toString();
        assertTrue(err.contains(truncated.toString()) || err.contains(text.toString()), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(json), "nothing written");

        buf.reset();
        Path report = dir.resolve("report");
        code = Main.run(new PrintWriter(buf, true), "eval", "--quiet", "--model", MODEL.toString(), "--data", folder.toString(),
                "--skip-bad", "--json", json.toString(), "--attacks", "fgsm", "--eps", "0.1", "--report", report.toString());
        assertEquals(0, code, buf.toString());
        Map<?, ?> d = (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(json))).get("dataset");
        assertEquals(60, ((Number) d.get("examples")).intValue(), "the 60 good images");
        Map<?, ?> skipped = (Map<?, ?>) d.get("skipped");
        assertEquals(2, ((Number) skipped.get("count")).intValue());
        List<?> first = (List<?>) skipped.get("first");
        assertEquals(2, first.size());
        assertTrue(first.stream().anyMatch(f -> f.toString().startsWith(truncated + ": cannot decode")), first.toString());
        assertTrue(first.stream().anyMatch(f -> f.toString().startsWith(text + ": ")), first.toString());
        String page = Files.readString(report.resolve("index.html"));
        assertTrue(page.contains("2 image file(s) that did not decode were left out (--skip-bad), first: "), "the report says so");
        Map<?, ?> model = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(Files.readString(report.resolve("report.json")))).get("models")).get(0);
        assertEquals(2, ((Number) ((Map<?, ?>) ((Map<?, ?>) model.get("dataset")).get("skipped")).get("count")).intValue());
    }

    @Test void trainingOnAFolderOfOneClassIsOneMessage() throws IOException {
        Dataset idx = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test");
        for (String split : new String[] {"train", "test"}) Png.write(dir.resolve("one/" + split + "/shirts/0.png"), idx.example(0), 1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path out = dir.resolve("m.safetensors");
        int code = Main.run(new PrintWriter(buf, true), "train", "--quiet", "--arch", "lenet", "--data", dir.resolve("one").toString(),
                "--epochs", "1", "--out", out.toString());
        assertEquals(2, code, buf.toString());
        assertEquals("feint: --data " + dir.resolve("one") + ": 1 class (shirts) in " + dir.resolve("one/train")
                + "; training needs at least 2 (one folder, or label, per class)", buf.toString().strip());
        assertFalse(Files.exists(out), "nothing written");
    }
}
