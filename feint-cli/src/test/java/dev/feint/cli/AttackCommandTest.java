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

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint attack} end to end on a 12-image, 3-class, 6x6 dataset and a random linear model. */
class AttackCommandTest {
    @TempDir Path dir;

    private record Run(int code, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintWriter err = new PrintWriter(buf, true);
        int code = Main.run(err, args);
        return new Run(code, buf.toString());
    }

    private Path data() throws Exception {
        Path d = Files.createDirectories(dir.resolve("data"));
        SplittableRandom r = new SplittableRandom(1);
        int n = 12;
        ByteBuffer img = ByteBuffer.allocate(16 + n * 36).putInt(0x803).putInt(n).putInt(6).putInt(6);
        for (int i = 0; i < n * 36; i++) img.put((byte) (40 + r.nextInt(170)));
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) lab.put((byte) (i % 3));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), img.array());
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), lab.array());
        Files.write(d.resolve("classes.txt"), List.of("cat", "dog", "t shirt"));
        return d;
    }

    private Path model(int side) {
        Path m = dir.resolve("m" + side + ".safetensors");
        Network net = Network.create(new Architecture("lin", new int[] {1, side, side}, 3,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", side * side, "out", 3))), 3);
        NetworkFile.save(m, net, List.of("cat", "dog", "t shirt"), Map.of());
        return m;
    }

    @Test
    void writesNpyJsonAndFigures() throws Exception {
        Path npy = dir.resolve("out/adv.npy"), json = dir.resolve("out/result.json"), images = dir.resolve("out/img");
        Run r = run("attack", "--model", model(6).toString(), "--data", data().toString(), "--limit", "10", "--attack", "pgd",
                "--eps", "0.2", "--steps", "5", "--targeted", "--target", "least-likely", "--out-npy", npy.toString(),
                "--out-json", json.toString(), "--out-images", images.toString(), "--images", "3", "--quiet");
        assertEquals(0, r.code, r.err);
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
                {"--attack", "fgsm", "--eps", "-0.1", "|", "fgsm: eps must be a finite number >= 0, got -0.1"},
                {"--attack", "pgd", "--steps", "0", "|", "pgd: steps must be >= 1, got 0"},
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
            Run r = run(args.toArray(String[]::new));
            assertEquals(2, r.code, String.join(" ", args) + ": " + r.err);
            assertTrue(r.err.contains(c[bar + 1]), "expected '" + c[bar + 1] + "' in: " + r.err);
            assertFalse(r.err.contains("\tat "), r.err);
            assertFalse(Files.exists(json) || Files.exists(npy), "nothing written for " + c[bar + 1]);
        }
        Run r = run("attack", "--model", model(5).toString(), "--data", data.toString(), "--attack", "fgsm",
                "--out-json", json.toString(), "--quiet");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("model input [1, 5, 5] does not match the data's [1, 6, 6]"), r.err);
        assertFalse(Files.exists(json));
    }
}
