package dev.feint.spark;

import dev.feint.cli.Main;
import dev.feint.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * feint eval --spark gives the single-machine result bit for bit, whatever the partitioning, and
 * when a task's first attempt fails and Spark retries it.
 */
class SparkEvalTest {
    static final Path MODEL = Path.of("../demo/models/fmnist-lenet-pgd.safetensors");
    static final Path DATA = Path.of("../demo/fashion-mnist-1k");

    @TempDir Path dir;

    @AfterAll static void stop() { SparkSessions.stop(); }

    /** 50 images in 10 batches of 5 (the last partitions are uneven), random starts (pgd), a minimum-norm attack (deepfool). */
    static List<String> evalArgs(Path json, Path examples) {
        return new ArrayList<>(List.of("eval", "--model", MODEL.toString(), "--data", DATA.toString(), "--limit", "50",
                "--attacks", "fgsm,pgd,deepfool", "--eps", "0.1,0.2", "--steps", "5", "--batch", "5", "--seed", "3",
                "--json", json.toString(), "--examples", examples.toString(), "--quiet"));
    }

    private Result eval(String name, String... extra) throws Exception { return eval(dir, name, extra); }

    /** Runs eval with the extra flags, writing into dir; returns the JSON without timings and the per-example lines. */
    static Result eval(Path dir, String name, String... extra) throws Exception {
        Path json = dir.resolve(name + ".json"), ex = dir.resolve(name + ".jsonl");
        List<String> args = evalArgs(json, ex);
        if (List.of(extra).contains("--seed")) args.subList(args.indexOf("--seed"), args.indexOf("--seed") + 2).clear();
        args.addAll(List.of(extra));
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, Main.run(new java.io.PrintWriter(err, true), args.toArray(String[]::new)), name + ": " + err);
        return new Result(untimed(Json.read(json)), Files.readString(ex));
    }

    record Result(Object json, String examples) {}

    /** Equal results, or a failure naming the first per-example line that differs. */
    static void assertSame(Result expected, Result actual, String what) {
        List<String> a = expected.examples().lines().toList(), b = actual.examples().lines().toList();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++)
            assertEquals(a.get(i), b.get(i), what + ": per-example line " + (i + 1));
        assertEquals(a.size(), b.size(), what + ": per-example lines");
        assertEquals(expected.json(), actual.json(), what + ": the JSON report");
    }

    @Test
    void everyPartitioningGivesTheSingleMachineResult() throws Exception {
        Result plain = eval("plain", "--threads", "1");
        assertSame(plain, eval("plain2", "--threads", "2"), "plain eval with 2 threads");
        assertEquals(5 * 50, plain.examples().lines().count(), "fgsm and pgd at each of 2 eps, deepfool once: 5 runs of 50 examples");
        assertTrue(plain.examples().contains("\"attack\":\"pgd\""));
        assertSame(plain, eval("local1", "--spark", "local[1]"), "local[1]");
        assertSame(plain, eval("local2p3", "--spark", "local[2]", "--partitions", "3"), "local[2], 3 partitions");
        assertSame(plain, eval("local2p7", "--spark", "local[2]", "--partitions", "7"), "local[2], 7 partitions");
        assertNotEquals(plain, eval("seed4", "--seed", "4", "--spark", "local[2]"), "another seed gives other random starts");
    }

    @Test
    void aFailedFirstAttemptIsRetriedWithTheSameResult() throws Exception {
        Result plain = eval("plain", "--threads", "1");
        int before = EvalTask.injectedFailures.get();
        EvalJob.failure = new EvalJob.Failure(1, 1);
        try {
            assertSame(plain, eval("retried", "--spark", "local[2,2]", "--partitions", "3"), "retried");
        } finally {
            EvalJob.failure = null;
        }
        assertEquals(1, EvalTask.injectedFailures.get() - before, "partition 1 failed once and was retried");
    }

    @Test
    void badSparkFlagsAreUserErrors() {
        Path json = dir.resolve("x.json"), ex = dir.resolve("x.jsonl");
        String[][] cases = {{"--spark", "nonsense://x"}, {"--spark", "local[2]", "--partitions", "11"}, {"--partitions", "2"}};
        String[] expected = {"--spark nonsense://x: cannot start a Spark session", "--partitions must be in [1, 10] for 50 examples in batches of 5",
                "--partitions needs --spark MASTER"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = evalArgs(json, ex);
            args.addAll(List.of(cases[i]));
            java.io.StringWriter err = new java.io.StringWriter();
            assertEquals(2, Main.run(new java.io.PrintWriter(err, true), args.toArray(String[]::new)), String.join(" ", cases[i]));
            assertTrue(err.toString().contains(expected[i]), err.toString());
            assertTrue(!Files.exists(json) && !Files.exists(ex), "nothing written");
        }
    }

    static Object untimed(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) if (!String.valueOf(e.getKey()).endsWith("Seconds")) out.put(e.getKey(), untimed(e.getValue()));
            return out;
        }
        if (o instanceof List<?> l) return l.stream().map(SparkEvalTest::untimed).toList();
        return o;
    }
}
