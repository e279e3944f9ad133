package dev.feint.model;

import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.attack.gradient.Pgd;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryCounterTest {
    @Test
    void countsExamplesNotCalls() {
        TinyProblem p = TinyProblem.get();
        QueryCounter q = QueryCounter.wrap(p.model);
        assertTrue(q instanceof DifferentiableModel);
        q.logits(Tensor.of(Arrays.copyOf(p.testX.data(), 5 * 16), 5, 1, 4, 4));
        ((DifferentiableModel) q).gradient(Tensor.of(Arrays.copyOf(p.testX.data(), 3 * 16), 3, 1, 4, 4),
                LossFunction.crossEntropy(new int[] {0, 1, 2}));
        assertEquals(8, q.queries());
        assertEquals(3, q.gradients());
        q.reset();
        assertEquals(0, q.queries());
    }

    @Test
    void blackBoxStaysBlackBox() {
        TinyProblem p = TinyProblem.get();
        Model scoresOnly = new Model() {
            public Tensor logits(Tensor x) { return p.model.logits(x); }
            public int numClasses() { return 3; }
            public Bounds bounds() { return Bounds.UNIT; }
            public int[] inputShape() { return new int[] {1, 4, 4}; }
        };
        QueryCounter q = QueryCounter.wrap(scoresOnly);
        assertFalse(q instanceof DifferentiableModel);
        q.predict(p.testX);
        assertEquals(p.testY.length, q.queries());
    }

    @Test
    void attackAccountingMatchesTheCounter() {
        TinyProblem p = TinyProblem.get();
        QueryCounter q = QueryCounter.wrap(p.model);
        int n = 4, steps = 5, restarts = 2;
        Tensor x = Tensor.of(Arrays.copyOf(p.testX.data(), n * 16), n, 1, 4, 4);
        AttackResult r = Pgd.builder().eps(0.1f).steps(steps).restarts(restarts).build()
                .run(q, x, new Misclassification(Arrays.copyOf(p.testY, n)));
        assertEquals((long) n * steps * restarts, r.totalGradients());
        assertEquals(q.gradients(), r.totalGradients());
        // each restart ends with one forward pass to score its last iterate; the final verification is not charged
        assertEquals(r.totalGradients() + (long) n * restarts, r.totalQueries());
        assertEquals(r.totalQueries() + n, q.queries());
        for (int i = 0; i < n; i++) assertEquals(steps * restarts + restarts, r.queries()[i]);
    }
}
