package dev.feint.eval;

import dev.feint.attack.TargetChooser;
import dev.feint.attack.gradient.Pgd;
import dev.feint.io.Json;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackRunnerTest {
    @Test
    void batchesAssembleInDatasetOrderAndTheJsonSchemaIsStable() {
        TinyProblem p = TinyProblem.get();
        var attack = Pgd.builder().eps(0.2f).steps(5).randomStart(false).build();
        AttackOutcome whole = new AttackRunner(p.model).batchSize(1000).run(attack, p.testX, p.testY, null);
        AttackOutcome batched = new AttackRunner(p.model).batchSize(7).run(attack, p.testX, p.testY, null);
        // without a random start every example's search is independent of its batch
        assertArrayEquals(whole.adversarial().data(), batched.adversarial().data(), 1e-6f);
        assertEquals(p.testY.length, batched.examples().size());
        Map<?, ?> doc = (Map<?, ?>) Json.parse(Json.write(batched.toJson()));
        assertEquals(List.of("attack", "summary", "examples"), List.copyOf(doc.keySet()));
        Map<?, ?> e0 = (Map<?, ?>) ((List<?>) doc.get("examples")).get(0);
        assertEquals(List.of("index", "label", "target", "cleanPrediction", "adversarialPrediction", "misclassifiedBeforeAttack", "success", "confidence",
                "linf", "l2", "l0", "queries"), List.copyOf(e0.keySet()));
        assertNull(e0.get("target"));
        assertEquals("pgd", ((Map<?, ?>) doc.get("attack")).get("name"));
    }

    @Test
    void aFixedTargetSkipsExamplesAlreadyLabelledWithIt() {
        TinyProblem p = TinyProblem.get();
        AttackOutcome o = new AttackRunner(p.model).targets(TargetChooser.fixed(1))
                .run(Pgd.builder().eps(0.25f).steps(10).build(), p.testX, p.testY, null);
        int skipped = 0;
        for (ExampleResult e : o.examples()) {
            if (e.label() == 1) {
                skipped++;
                assertFalse(e.attacked());
                assertFalse(e.success());
                assertEquals(-1, e.target());
                assertEquals(0, e.queries());
            } else {
                assertEquals(1, e.target());
                assertEquals(e.adversarialPrediction() == 1, e.success());
            }
        }
        assertTrue(skipped > 0);
        assertTrue(o.summary().targetedSuccessRate() > 0.5);
    }

    @Test
    void queriesToSuccessCountOnlyExamplesFooledFromACorrectPrediction() {
        // label, clean prediction, attacked, success, queries (10 sits on a budget point: success within 10 queries counts at 10)
        int[][] rows = {{0, 0, 1, 1, 3}, {1, 1, 1, 1, 10}, {2, 2, 1, 1, 12}, {0, 0, 1, 0, 100}, {1, 2, 1, 1, 1}, {2, 2, 0, 0, 0}};
        List<ExampleResult> ex = new java.util.ArrayList<>();
        boolean[] robust = new boolean[rows.length], fooled = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int[] r = rows[i];
            int adv = r[3] == 1 ? (r[0] + 1) % 3 : r[1];
            ex.add(new ExampleResult(i, r[0], -1, r[2] == 1, r[1], adv, r[3] == 1, 0.9f, 0.1f, 0.5f, 1, 0.1f, r[4], 0,
                    List.of()));
            robust[i] = adv == r[0];
            fooled[i] = r[3] == 1;
        }
        AttackSummary s = AttackSummary.of(ex, robust, fooled, false, 123, 0, 1.0, true);
        assertEquals(3, s.queriesToSuccess().count(), "the already-misclassified and the unattacked example do not count");
        assertEquals((3 + 10 + 12) / 3.0, s.queriesToSuccess().mean(), 1e-12);
        assertEquals(10, s.queriesToSuccess().median(), 1e-12);
        assertEquals(12, s.queriesToSuccess().max(), 1e-12);
        assertEquals(0.75, s.successRate(), 1e-12);
        List<Long> budgets = s.successVsQueries().stream().map(AttackSummary.QueryPoint::queries).toList();
        List<Double> rates = s.successVsQueries().stream().map(AttackSummary.QueryPoint::successRate).toList();
        assertEquals(List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L), budgets);
        assertEquals(List.of(0.0, 0.0, 0.25, 0.5, 0.75, 0.75, 0.75), rates);
        assertEquals(0, s.pixelL0().max(), 1e-12);
        Map<?, ?> m = (Map<?, ?>) Json.parse(Json.write(s.toMap()));
        assertEquals(10.0, ((Number) ((Map<?, ?>) m.get("queriesToSuccess")).get("median")).doubleValue(), 1e-12);
        assertEquals(7, ((List<?>) m.get("successVsQueries")).size());
        assertNull(AttackSummary.of(ex, robust, fooled, false, 123, 0, 1.0, false).toMap().get("pixelL0"),
                "pixelL0 is null for runs that are not pixel attacks");
    }

    @Test
    void pixelRunsListTheChangedPixelsOfEveryExample() {
        TinyProblem p = TinyProblem.get();
        var attack = dev.feint.attack.blackbox.OnePixelAttack.builder().pixels(2).population(20).queries(1 + 20 * 8).seed(5).build();
        AttackOutcome o = new AttackRunner(p.model).batchSize(25).run(attack, p.testX, p.testY, null);
        float[] x = p.testX.data(), a = o.adversarial().data();
        int d = TinyProblem.D, fooled = 0;
        for (int i = 0; i < o.examples().size(); i++) {
            ExampleResult e = o.examples().get(i);
            assertTrue(e.pixelL0() >= 0 && e.pixelL0() <= 2, "at most 2 pixels: " + e);
            assertTrue(e.queries() >= 1 && e.queries() <= 161, "within the budget: " + e);
            boolean[] listed = new boolean[d];
            for (var px : e.pixels()) {
                listed[px.row() * TinyProblem.W + px.col()] = true;
                assertEquals(a[i * d + px.row() * TinyProblem.W + px.col()], px.values()[0], 0f);
            }
            for (int j = 0; j < d; j++) assertEquals(listed[j], Math.abs(a[i * d + j] - x[i * d + j]) > 1e-6f, "example " + i + ", " + j);
            if (e.cleanCorrect() && e.success()) fooled++;
        }
        assertTrue(fooled > 0, "two of sixteen pixels should flip the tiny MLP somewhere");
        AttackSummary s = o.summary();
        assertEquals(fooled, s.queriesToSuccess().count());
        assertTrue(s.pixelL0().max() <= 2 && s.pixelL0().mean() >= 1);
        Map<?, ?> e0 = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(Json.write(o.toJson()))).get("examples")).get(0);
        assertEquals(List.of("index", "label", "target", "cleanPrediction", "adversarialPrediction", "misclassifiedBeforeAttack", "success", "confidence",
                "linf", "l2", "l0", "queries", "pixelL0", "pixels"), List.copyOf(e0.keySet()));
    }
}
