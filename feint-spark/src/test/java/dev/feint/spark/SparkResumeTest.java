package dev.feint.spark;

import dev.feint.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * feint eval --spark --journal DIR [--resume]: a job interrupted by a partition that fails for
 * good resumes to the uninterrupted result, running only the partitions without complete
 * results; a complete folder runs nothing; a folder of another job is one clear error.
 */
class SparkResumeTest {
    @TempDir Path dir;

    @AfterAll static void stop() { SparkSessions.stop(); }

    private String fails(String... extra) {
        Path json = dir.resolve("refused.json"), ex = dir.resolve("refused.jsonl");
        List<String> args = SparkEvalTest.evalArgs(json, ex);
        args.addAll(List.of(extra));
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, Main.run(new java.io.PrintWriter(err, true), args.toArray(String[]::new)), String.join(" ", extra) + ": " + err);
        assertTrue(!Files.exists(json) && !Files.exists(ex), "nothing written");
        return err.toString();
    }

    private static boolean marked(Path j, int p) { return Files.exists(j.resolve(Marker.name(p, "json"))); }

    @Test
    void anInterruptedJobResumesToTheUninterruptedResult() throws Exception {
        SparkEvalTest.Result plain = SparkEvalTest.eval(dir, "plain", "--threads", "1");
        Path j = dir.resolve("journal");
        String[] job = {"--spark", "local[1]", "--partitions", "3", "--journal", j.toString()};

        EvalJob.failure = new EvalJob.Failure(2, Integer.MAX_VALUE);       // the last partition fails on every attempt
        try {
            String err = fails(job);
            assertTrue(err.contains("the job failed (injected failure") && err.contains("add --resume to run only the others"), err);
        } finally {
            EvalJob.failure = null;
        }
        assertTrue(Files.isRegularFile(j.resolve("job.json")), "job.json is written before the tasks run");
        assertTrue(marked(j, 0) && marked(j, 1) && !marked(j, 2), "partitions 0 and 1 finished before 2 failed");

        String[] resume = {"--spark", "local[1]", "--journal", j.toString(), "--resume"};
        int before = EvalTask.tasksRun.get();
        SparkEvalTest.assertSame(plain, SparkEvalTest.eval(dir, "resumed", resume), "resumed");
        assertEquals(1, EvalTask.tasksRun.get() - before, "only the failed partition runs again");

        before = EvalTask.tasksRun.get();
        SparkEvalTest.assertSame(plain, SparkEvalTest.eval(dir, "again", resume), "resumed when complete");
        assertEquals(0, EvalTask.tasksRun.get() - before, "a complete folder runs nothing: every partition is read back");

        Files.write(j.resolve(Marker.name(1, "jsonl")), new byte[] {'\n'}, StandardOpenOption.APPEND);
        before = EvalTask.tasksRun.get();
        SparkEvalTest.assertSame(plain, SparkEvalTest.eval(dir, "mended", resume), "resumed after a damaged results file");
        assertEquals(1, EvalTask.tasksRun.get() - before, "a results file that no longer matches its marker runs again");

        // Another job in the folder: one clear error naming what differs, nothing written.
        List<String> otherEps = new java.util.ArrayList<>(List.of(resume));
        otherEps.addAll(List.of("--eps", "0.1,0.3"));
        assertTrue(fails(otherEps.toArray(String[]::new)).contains("--journal " + j + ": the folder holds another job (eps recorded [0.1"),
                "another --eps");
        assertTrue(fails("--spark", "local[1]", "--journal", j.toString(), "--resume", "--partitions", "2")
                .contains("(partitions recorded 3, now 2)"), "other partitions");
        assertTrue(fails("--spark", "local[1]", "--journal", j.toString(), "--resume", "--restarts", "2")
                .contains("the folder holds another job (attacks recorded"), "another attack parameter");
        assertTrue(fails("--spark", "local[1]", "--journal", j.toString())
                .contains("--journal " + j + ": the folder is not empty (continue its job with --resume"), "without --resume");
        assertTrue(fails("--journal", j.toString(), "--resume").contains("holds the partitions of a feint eval --spark job"),
                "resumed without --spark");
    }

    @Test
    void aFolderOfAnotherKindIsRefused() throws Exception {
        Path plainJournal = dir.resolve("plain-journal");
        SparkEvalTest.eval(dir, "plain", "--journal", plainJournal.toString());
        assertTrue(fails("--spark", "local[1]", "--journal", plainJournal.toString(), "--resume")
                .contains("holds the journal.jsonl of a single-machine feint eval --journal (resume it without --spark)"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(fails("--spark", "local[1]", "--journal", empty.toString(), "--resume").contains("--journal " + empty + ": no job.json"));
        assertFalse(Files.exists(empty.resolve("job.json")));
        assertTrue(fails("--spark", "local[1]", "--journal", dir.resolve("none").toString(), "--resume")
                .contains("no such folder (nothing to resume)"));
    }
}
