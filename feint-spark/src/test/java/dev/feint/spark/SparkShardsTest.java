package dev.feint.spark;

import dev.feint.cli.Main;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * feint attack --spark --out-npy DIR: the shards concatenated are the single-machine --out-npy
 * array bit for bit, with the single-machine summary and --out-json; --resume re-runs only the
 * partition whose shard is gone (and still reports every example); bad flags and a
 * folder of another job are user errors that write nothing.
 */
class SparkShardsTest {
    @TempDir Path dir;

    @AfterAll static void stop() { SparkSessions.stop(); }

    /** 40 images in 8 batches of 5, PGD with random starts (seeded per example index). */
    static List<String> attackArgs(String... extra) {
        List<String> a = new ArrayList<>(List.of("attack", "--model", SparkEvalTest.MODEL.toString(), "--data", SparkEvalTest.DATA.toString(),
                "--limit", "40", "--attack", "pgd", "--eps", "0.1", "--steps", "3", "--batch", "5", "--seed", "7", "--quiet"));
        a.addAll(List.of(extra));
        return a;
    }

    private static String run(int expectedCode, List<String> args) {
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(expectedCode, Main.run(new java.io.PrintWriter(err, true), args.toArray(String[]::new)), args + ": " + err);
        return err.toString();
    }

    /** The shards listed by DIR/index.json, concatenated in order, after checking the index against the files. */
    private static float[] shards(Path out, int partitions) throws Exception {
        Map<?, ?> index = (Map<?, ?>) Json.read(out.resolve("index.json"));
        List<?> list = (List<?>) index.get("shards");
        assertEquals(partitions, list.size(), "shards in the index");
        assertEquals(List.of(40L, 1L, 28L, 28L), index.get("shape"));
        assertTrue(((Map<?, ?>) index.get("job")).get("attack").toString().startsWith("pgd:"), index.toString());
        float[] all = new float[0];
        long next = 0;
        for (Object o : list) {
            Map<?, ?> s = (Map<?, ?>) o;
            assertEquals(next, s.get("from"), "shards follow each other");
            next = (Long) s.get("to");
            Path f = out.resolve((String) s.get("file"));
            assertEquals(s.get("sha256"), Marker.sha256(f), f + ": checksum");
            Tensor t = Npy.read(f);
            assertEquals(s.get("shape"), Arrays.stream(t.shape().dims()).mapToObj(d -> (long) d).toList());
            float[] more = Arrays.copyOf(all, all.length + t.data().length);
            System.arraycopy(t.data(), 0, more, all.length, t.data().length);
            all = more;
        }
        assertEquals(40L, next);
        return all;
    }

    /**
     * Every file of the folder with its bytes' checksum; the per-example results (and so their
     * markers) hold the attack's seconds, which differ from run to run: their checksum is that
     * of the text without them.
     */
    private static Map<String, String> listing(Path d) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                boolean timed = name.endsWith(".jsonl") || name.startsWith("part-") && name.endsWith(".json");
                m.put(name, timed ? Files.readString(p).replaceAll("\"seconds\":[^,]*,|\"(bytes|sha256)\": [^,\n]*", "")
                        : Marker.sha256(p));
            }
        }
        return m;
    }

    /** The --out-json document without its timings. */
    private static Object outJson(Path f) { return SparkEvalTest.untimed(Json.read(f)); }

    /** Runs the command line capturing stdout (the summary). */
    private static String stdout(List<String> args) {
        java.io.PrintStream was = System.out;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            run(0, args);
        } finally {
            System.setOut(was);
        }
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shardsAreTheSingleMachineArrayAndResumeRerunsOnlyTheMissingOne() throws Exception {
        Path single = dir.resolve("single.npy"), out = dir.resolve("shards"), plainJson = dir.resolve("plain.json");
        String plainOut = stdout(attackArgs("--out-npy", single.toString(), "--threads", "1", "--out-json", plainJson.toString()));
        float[] expected = Npy.read(single).data();
        Object expectedJson = outJson(plainJson);
        String summary = plainOut.lines().filter(l -> l.startsWith("pgd (linf, eps 0.1)")).findFirst().orElseThrow();

        int before = ShardTask.tasksRun.get();
        Path sparkJson = dir.resolve("spark.json");
        String sparkOut = stdout(attackArgs("--spark", "local[2]", "--partitions", "3", "--out-npy", out.toString(), "--out-json",
                sparkJson.toString()));
        assertEquals(3, ShardTask.tasksRun.get() - before, "one task per partition");
        assertArrayEquals(expected, shards(out, 3), "the shards are the single-machine array");
        assertEquals(expectedJson, outJson(sparkJson), "--out-json is the single-machine document");
        assertTrue(sparkOut.contains(summary), "the single-machine summary on stdout: " + sparkOut);
        Map<String, String> first = listing(out);
        assertEquals(List.of("index.json", "job.json", "part-00000.json", "part-00000.jsonl", "part-00000.npy", "part-00001.json",
                "part-00001.jsonl", "part-00001.npy", "part-00002.json", "part-00002.jsonl", "part-00002.npy"), List.copyOf(first.keySet()),
                "no temporaries left");

        Files.delete(out.resolve("part-00001.npy"));
        before = ShardTask.tasksRun.get();
        Path resumedJson = dir.resolve("resumed.json");
        run(0, attackArgs("--spark", "local[2]", "--resume", out.toString(), "--out-json", resumedJson.toString()));
        assertEquals(1, ShardTask.tasksRun.get() - before, "only the partition whose shard was deleted runs again");
        assertEquals(first, listing(out), "the same files, bit for bit");
        assertEquals(expectedJson, outJson(resumedJson), "--out-json of a resumed job: two partitions read back, one attacked");

        before = ShardTask.tasksRun.get();
        run(0, attackArgs("--spark", "local[2]", "--resume", out.toString()));
        assertEquals(0, ShardTask.tasksRun.get() - before, "a complete folder runs nothing");

        Files.write(out.resolve("part-00002.npy"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        before = ShardTask.tasksRun.get();
        run(0, attackArgs("--spark", "local[2]", "--resume", out.toString()));
        assertEquals(1, ShardTask.tasksRun.get() - before, "a shard whose size no longer matches its marker runs again");
        assertEquals(first, listing(out), "and is rewritten with the same bits");

        // Another job in the same folder: a clear error, nothing changed.
        List<String> otherEps = attackArgs("--spark", "local[2]", "--resume", out.toString());
        otherEps.set(otherEps.indexOf("--eps") + 1, "0.2");
        String err = run(2, otherEps);
        assertTrue(err.contains("--resume " + out + ": the folder holds another job (attack recorded"), err);
        err = run(2, attackArgs("--spark", "local[2]", "--resume", out.toString(), "--partitions", "2"));
        assertTrue(err.contains("(partitions recorded 3, now 2)"), err);
        assertEquals(first, listing(out), "nothing written by the refused runs");
    }

    @Test
    void badFlagsAreUserErrorsThatWriteNothing() throws Exception {
        Path out = dir.resolve("o"), used = dir.resolve("used");
        Files.createDirectories(used.resolve("x"));
        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "x");
        String[][] cases = {{"--spark", "local[1]"}, {"--partitions", "2", "--out-npy", out.toString()},
                {"--resume", out.toString()}, {"--spark", "local[1]", "--partitions", "9", "--out-npy", out.toString()},
                {"--spark", "local[1]", "--out-npy", used.toString()}, {"--spark", "local[1]", "--resume", out.toString()},
                {"--spark", "local[1]", "--resume", used.toString()}, {"--spark", "local[1]", "--out-npy", file.toString()},
                {"--spark", "local[1]", "--out-npy", out.toString(), "--out-images", dir.resolve("a.json").toString()}};
        String[] expected = {"--spark needs --out-npy DIR", "--partitions needs --spark MASTER", "--resume needs --spark MASTER",
                "--partitions must be in [1, 8] for 40 examples in batches of 5", "--out-npy " + used + ": the folder is not empty",
                "--resume " + out + ": no such folder", "--resume " + used + ": no job.json", "--out-npy " + file + ": exists and is not a folder",
                "--out-images is not written with --spark"};
        for (int i = 0; i < cases.length; i++) {
            String err = run(2, attackArgs(cases[i]));
            assertTrue(err.contains(expected[i]), String.join(" ", cases[i]) + ": " + err);
            assertTrue(!Files.exists(out) && !Files.exists(dir.resolve("a.json")), "nothing written");
            assertEquals(List.of("x"), Files.list(used).map(p -> p.getFileName().toString()).toList());
        }
    }
}
