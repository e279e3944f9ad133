package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.blackbox.OnePixelAttack;
import dev.feint.attack.blackbox.SquareAttack;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.Pgd;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An evaluation stopped after k batches and resumed from its journal ends exactly as an uninterrupted one. */
class EvalJournalTest {
    @TempDir Path dir;

    private static final List<Attack> ATTACKS = List.of(Pgd.builder().eps(0.1f).steps(5).seed(3).build(),
            SquareAttack.builder().norm(Norm.LINF).eps(0.1f).queries(30).seed(4).build(),
            DeepFool.builder().norm(Norm.L2).build(), OnePixelAttack.builder().pixels(1).population(10).generations(3).seed(5).build());

    private static final class Killed extends RuntimeException {}

    private static RobustnessReport run(List<AttackOutcome> outcomes, EvalJournal j, int killAfter) {
        TinyProblem p = TinyProblem.get();
        int[] batches = {0};
        return RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(ATTACKS).eps(0.05f, 0.1f).batchSize(7)
                .journal(j).outcomes(outcomes::add).progress((a, done, total) -> {
                    if (++batches[0] == killAfter) throw new Killed();
                }).build().run();
    }

    @Test
    void aRunKilledAtThreePointsAndResumedEqualsAnUninterruptedOne() throws Exception {
        List<AttackOutcome> whole = new ArrayList<>();
        RobustnessReport expected = run(whole, null, -1);
        // 9 batches per run, 6 runs (pgd and square at two radii, deepfool, onepixel): 54 batches.
        for (int kill : new int[] {1, 23, 53}) {
            Path jd = dir.resolve("j" + kill);
            try (EvalJournal j = EvalJournal.open(jd, "fp", false)) {
                assertThrows(Killed.class, () -> run(new ArrayList<>(), j, kill));
            }
            // A kill -9 in the middle of a write leaves a torn last line: it is dropped.
            Files.writeString(jd.resolve("journal.jsonl"), "{\"run\":5,\"fro", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            List<AttackOutcome> resumed = new ArrayList<>();
            RobustnessReport r;
            try (EvalJournal j = EvalJournal.open(jd, "fp", true)) {
                r = run(resumed, j, -1);
            }
            assertEquals(whole.size(), resumed.size());
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i).adversarial().data(), resumed.get(i).adversarial().data(), "run " + i + ", kill " + kill);
                List<ExampleResult> a = whole.get(i).examples(), b = resumed.get(i).examples();
                for (int e = 0; e < a.size(); e++) {
                    assertEquals(a.get(e).toMap(), b.get(e).toMap());
                    assertEquals(fields(a.get(e)), fields(b.get(e)), "run " + i + " example " + e);
                }
            }
            assertEquals(untimed(expected.toJson()), untimed(r.toJson()));
        }
    }

    /**
     * AutoAttack's stage seconds are journaled per batch: a run resumed from a journal of every batch
     * has the uninterrupted run's stage table, with the seconds the journal recorded (it had none).
     */
    @Test
    void autoAttacksStageSecondsAreJournaledAndCountedOnResume() throws Exception {
        TinyProblem p = TinyProblem.get();
        Attack aa = dev.feint.attack.AutoAttack.builder().eps(0.1f).steps(3).queries(20).seed(2).build();
        AttackRunner runner = new AttackRunner(p.model).batchSize(16);
        AttackOutcome whole = runner.run(aa, p.testX, p.testY, null);
        Path jd = dir.resolve("aa");
        try (EvalJournal j = EvalJournal.open(jd, "fp", false)) {
            new AttackRunner(p.model).batchSize(16).journal(j, 0).run(aa, p.testX, p.testY, null);
        }
        java.util.Map<String, Double> journaled = new java.util.LinkedHashMap<>();
        List<String> lines = Files.readAllLines(jd.resolve("journal.jsonl"));
        for (String line : lines.subList(1, lines.size()))
            for (Object pair : (List<?>) ((java.util.Map<?, ?>) dev.feint.io.Json.parse(line, "journal")).get("stageSeconds"))
                journaled.merge((String) ((List<?>) pair).get(0), ((Number) ((List<?>) pair).get(1)).doubleValue(), Double::sum);
        AttackOutcome resumed;
        try (EvalJournal j = EvalJournal.open(jd, "fp", true)) {
            resumed = new AttackRunner(p.model).batchSize(16).journal(j, 0).run(aa, p.testX, p.testY, null);
        }
        List<String> stages = List.of("clean", "apgd-ce", "apgd-t", "fab-t", "square");
        assertEquals(stages, whole.stages().stream().map(StageTable.Row::stage).toList());
        assertEquals(stages, resumed.stages().stream().map(StageTable.Row::stage).toList(), "every batch read back");
        for (int i = 0; i < stages.size(); i++) {
            StageTable.Row w = whole.stages().get(i), r = resumed.stages().get(i);
            assertEquals(w.broken(), r.broken(), stages.get(i));
            assertEquals(w.robustAccuracy(), r.robustAccuracy(), stages.get(i));
            if (i > 0) {
                assertTrue(r.seconds() > 0, stages.get(i) + " took no time");
                assertEquals(journaled.get(stages.get(i)), r.seconds(), 1e-12, stages.get(i) + ": the journal's seconds");
            }
        }
        assertTrue(lines.size() > 2, "several batches: " + lines.size());
    }

    private static List<Object> fields(ExampleResult e) {
        return List.of(e.index(), e.label(), e.target(), e.attacked(), e.cleanPrediction(), e.adversarialPrediction(), e.success(),
                e.confidence(), e.linf(), e.l2(), e.l0(), e.size(), e.queries(), e.gradients());
    }

    /** The report without its wall-clock times (the only thing a resumed run may change). */
    static Object untimed(Object o) {
        if (o instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            for (var e : m.entrySet()) if (!String.valueOf(e.getKey()).endsWith("Seconds")) out.put(e.getKey(), untimed(e.getValue()));
            return out;
        }
        if (o instanceof List<?> l) return l.stream().map(EvalJournalTest::untimed).toList();
        return o;
    }

    @Test
    void aJournalIsNeitherMixedInNorResumedByAnotherRun() {
        EvalJournal.open(dir, "fp", false).close();
        assertEquals("--journal " + dir + ": holds the journal of another run (" + dir.resolve("journal.jsonl") + "); add --resume to "
                + "continue it or choose an empty folder", assertThrows(FeintException.class, () -> EvalJournal.open(dir, "fp", false)).getMessage());
        assertTrue(assertThrows(FeintException.class, () -> EvalJournal.open(dir, "other", true)).getMessage()
                .endsWith("was written by a different run (expected the same command line, model and data as the interrupted run)"));
        assertEquals("--resume: no journal at " + dir.resolve("x/journal.jsonl") + " (expected one from an interrupted run)",
                assertThrows(FeintException.class, () -> EvalJournal.open(dir.resolve("x"), "fp", true)).getMessage());
    }
}
