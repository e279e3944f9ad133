package dev.feint.attack;

import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.eval.ExampleResult;
import dev.feint.eval.StageTable;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Eot;
import dev.feint.model.LossFunction;
import dev.feint.model.QueryCounter;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AutoAttack's stages: data from the registry, run on what is still robust, never raising robust accuracy. */
class AutoAttackTest {
    static List<String> names(AutoAttack a) { return a.stages().stream().map(AutoAttack.Stage::name).toList(); }

    @Test
    void versionsAreStageListsOfRegisteredAttacks() {
        boolean fab = AttackRegistry.has("fab");
        AutoAttack std = AutoAttack.builder().eps(0.1f).build();
        assertEquals(fab ? List.of("apgd-ce", "apgd-t", "fab-t", "square") : List.of("apgd-ce", "apgd-t", "square"), names(std));
        assertEquals(fab ? List.of() : List.of("fab-t"), std.missing(), "a stage whose attack is not registered is said, not faked");
        assertEquals(List.of("apgd-ce", "apgd-t"), names(AutoAttack.builder().norm(Norm.L1).eps(10f).build()));
        assertEquals(List.of("apgd-ce", "apgd-dlr"), names(AutoAttack.builder().eps(0.1f).version("rand").build()));
        List<String> plus = names(AutoAttack.builder().eps(0.1f).version("plus").build());
        assertEquals(fab ? List.of("apgd-ce", "apgd-dlr", "fab", "square", "apgd-t", "fab-t") : List.of("apgd-ce", "apgd-dlr", "square", "apgd-t"), plus);
        assertEquals("autoattack: parameter version = fast, expected standard, plus or rand",
                assertThrowsMessage(() -> AttackRegistry.create("autoattack:version=fast")));
    }

    /** Square's AutoAttack settings, and every stage's spec builds. */
    @Test
    void stageSpecsAreAutoAttacks() {
        AutoAttack std = AutoAttack.builder().eps(0.1f).build();
        AttackSpec sq = std.stages().stream().filter(s -> s.name().equals("square")).findFirst().orElseThrow().spec();
        assertEquals(5000L, sq.params().get("queries"));
        assertEquals(0.8, sq.params().get("pInit"));
        for (AutoAttack.Stage s : AutoAttack.builder().eps(0.1f).version("plus").build().stages())
            assertNotNull(AttackRegistry.create(s.spec().norm(Norm.LINF).eps(0.1f)), s.name());
    }

    @Test
    void stagesNeverRaiseRobustAccuracyAndSayWhatBrokeEachExample() {
        TinyProblem p = TinyProblem.get();
        Attack aa = AttackRegistry.create("autoattack:eps=0.12,steps=10,queries=300,seed=1");
        AttackOutcome o = new AttackRunner(p.model).batchSize(16).run(aa, p.testX, p.testY, null);
        List<StageTable.Row> rows = o.stages();
        assertEquals("clean", rows.get(0).stage());
        assertEquals(names((AutoAttack) aa), rows.subList(1, rows.size()).stream().map(StageTable.Row::stage).toList());
        for (int i = 1; i < rows.size(); i++)
            assertTrue(rows.get(i).robustAccuracy() <= rows.get(i - 1).robustAccuracy(), "stage " + rows.get(i).stage() + " raised robust accuracy");
        assertEquals(o.summary().robustAccuracy(), rows.get(rows.size() - 1).robustAccuracy(), 1e-12, "the last stage is the final figure");
        assertTrue(rows.get(rows.size() - 1).robustAccuracy() < rows.get(0).robustAccuracy(), "nothing broken: the test proves nothing");
        long broken = 0;
        for (ExampleResult e : o.examples()) {
            if (e.brokenBy() != null) {
                assertTrue(e.cleanCorrect() && e.success(), "example " + e.index() + " broken by " + e.brokenBy() + " but not a success");
                broken++;
            } else {
                assertTrue(!e.cleanCorrect() || !e.success(), "example " + e.index() + " succeeded without a stage");
            }
        }
        assertEquals(broken, rows.stream().mapToLong(StageTable.Row::broken).sum());
    }

    @Test
    void eotAveragesAndRandSpendsTwentySamplesPerGradient() {
        TinyProblem p = TinyProblem.get();
        DifferentiableModel m = p.model;
        LossFunction ce = LossFunction.crossEntropy(p.testY);
        float[] g = m.gradient(p.testX, ce).grad(), e = Eot.of(m, 3).gradient(p.testX, ce).grad();
        for (int i = 0; i < g.length; i++) assertEquals(g[i], e[i], 1e-6f * Math.max(1, Math.abs(g[i])));
        QueryCounter counter = QueryCounter.wrap(m);
        AttackResult r = AttackRegistry.create("autoattack:eps=0.1,version=rand,steps=3").run(counter, p.testX, new Misclassification(p.testY));
        assertTrue(r.totalGradients() > 0);
        assertEquals(20 * r.totalGradients(), counter.gradients(), "each gradient an expectation over 20 samples");
        assertArrayEquals(new String[] {"apgd-ce", "apgd-dlr"}, r.stageSeconds().keySet().toArray(new String[0]));
    }

    static String assertThrowsMessage(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(dev.feint.FeintException.class, e).getMessage();
    }
}
