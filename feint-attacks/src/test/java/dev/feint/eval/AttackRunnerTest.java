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
        assertEquals(List.of("index", "label", "target", "cleanPrediction", "adversarialPrediction", "success", "confidence",
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
}
