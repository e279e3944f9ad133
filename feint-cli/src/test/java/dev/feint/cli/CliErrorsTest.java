package dev.feint.cli;

import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.nn.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User mistakes give exit code 2 and one clear message, no stack trace, nothing written. */
class CliErrorsTest {
    @TempDir Path dir;

    private static void assertUserError(CliRun r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(fragment), "message should contain '" + fragment + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for a user mistake: " + r.err());
    }

    /** Writes a tiny 4-image dataset in IDX form, optionally corrupting one file. */
    private Path tinyData(String corrupt) throws Exception {
        Path d = Files.createDirectories(dir.resolve("data-" + corrupt));
        for (String split : new String[] {"train", "t10k"}) {
            ByteBuffer img = ByteBuffer.allocate(16 + 4 * 28 * 28).order(ByteOrder.BIG_ENDIAN);
            img.putInt(0x803).putInt(4).putInt(28).putInt(28);
            ByteBuffer lab = ByteBuffer.allocate(8 + 4).order(ByteOrder.BIG_ENDIAN);
            lab.putInt(0x801).putInt(corrupt.equals("count") ? 5 : 4).put(new byte[] {0, 1, 2, 3});
            byte[] ib = img.array();
            if (corrupt.equals("truncated")) ib = java.util.Arrays.copyOf(ib, 100);
            if (corrupt.equals("magic")) ib[3] = 0x01;
            Files.write(d.resolve(split + "-images-idx3-ubyte"), ib);
            try (var gz = new GZIPOutputStream(Files.newOutputStream(d.resolve(split + "-labels-idx1-ubyte.gz")))) {
                gz.write(lab.array());
            }
        }
        return d;
    }

    @Test
    void unknownFlagAndArchitecture() throws Exception {
        Path data = tinyData("none");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", data.toString(), "--out", "x.safetensors", "--bogus"),
                "Unknown option: '--bogus'");
        Path out = dir.resolve("m.safetensors");
        assertUserError(CliRun.of("train", "--arch", "vgg", "--data", data.toString(), "--out", out.toString()),
                "unknown architecture 'vgg'");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", data.toString(), "--out", out.toString(), "--augment", "crop4,rotate"),
                "--augment: augmentation 'crop4,rotate': unknown step 'rotate'");
        assertFalse(Files.exists(out));
    }

    @Test
    void missingTruncatedAndMislabeledIdx() throws Exception {
        Path out = dir.resolve("m.safetensors");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", dir.resolve("nowhere").toString(), "--out", out.toString()), "nowhere");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", tinyData("truncated").toString(), "--out", out.toString()), "train-images-idx3-ubyte");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", tinyData("magic").toString(), "--out", out.toString()), "magic");
        assertUserError(CliRun.of("train", "--arch", "mlp", "--data", tinyData("count").toString(), "--out", out.toString()), "train-labels-idx1-ubyte.gz");
        assertFalse(Files.exists(out));
    }

    @Test
    void badSafetensorsHeaders() throws Exception {
        Path lying = dir.resolve("lying.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1L << 60).putLong(0);
        Files.write(lying, b.array());
        assertUserError(CliRun.of("info", "--model", lying.toString()), "lying.safetensors");
        Path huge = dir.resolve("huge.safetensors");
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}}";
        ByteBuffer h = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(header.length()).put(header.getBytes()).putLong(0);
        Files.write(huge, h.array());
        assertUserError(CliRun.of("info", "--model", huge.toString()), "huge.safetensors");
        assertUserError(CliRun.of("info", "--model", dir.resolve("absent.safetensors").toString()), "absent.safetensors");
    }

    @Test
    void evalChecksModelAgainstData() throws Exception {
        Path model = dir.resolve("m.safetensors");
        NetworkFile.save(model, Network.create(Presets.get("mlp", 1, 8, 8, 10), 1), List.of(), Map.of());
        Path json = dir.resolve("out.json");
        assertUserError(CliRun.of("eval", "--model", model.toString(), "--data", tinyData("none").toString(), "--json", json.toString()),
                "does not match the data's [1, 28, 28]");
        assertFalse(Files.exists(json));
        assertUserError(CliRun.of("eval", "--model", model.toString(), "--data", tinyData("none").toString(), "--split", "dev"), "--split");
    }

    @Test
    void trainEvalInfoWorkEndToEndOnTinyData() throws Exception {
        Path data = tinyData("none");
        Path model = dir.resolve("tiny.safetensors"), log = dir.resolve("log.jsonl"), json = dir.resolve("eval.json");
        CliRun r = CliRun.of("train", "--arch", "mlp", "--data", data.toString(), "--epochs", "2", "--batch", "2", "--out", model.toString(),
                "--log", log.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, Files.readAllLines(log).size());
        assertEquals(0, CliRun.of("info", "--model", model.toString()).code());
        assertEquals(0, CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--json", json.toString()).code());
        assertTrue(Files.readString(json).contains("\"accuracy\""));
        // --json - puts only the JSON on stdout, for scripts.
        var old = System.out;
        var buf = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            assertEquals(0, CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--json", "-").code());
        } finally {
            System.setOut(old);
        }
        Object parsed = dev.feint.io.Json.parse(buf.toString());
        assertTrue(parsed instanceof Map<?, ?> m && m.containsKey("accuracy"), buf.toString());
    }
}
