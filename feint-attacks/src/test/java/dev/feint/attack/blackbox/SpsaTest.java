package dev.feint.attack.blackbox;

import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.model.Bounds;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPSA against a model given only as scores (no gradient method to fall back on). */
class SpsaTest {
    static final TinyProblem P = TinyProblem.get();

    /** The tiny model seen through Model alone. */
    static final Model SCORES = new Model() {
        @Override public Tensor logits(Tensor x) { return P.model.logits(x); }

        @Override public int numClasses() { return 3; }

        @Override public Bounds bounds() { return Bounds.UNIT; }

        @Override public int[] inputShape() { return new int[] {1, 4, 4}; }
    };

    @Test
    void lowersAccuracyWithScoresOnlyWithinBudgetAndBall() {
        assertFalse(SCORES instanceof dev.feint.model.DifferentiableModel);
        AttackResult r = Spsa.builder().eps(0.2f).queries(1000).samples(16).seed(1).build().run(SCORES, P.testX, new Misclassification(P.testY));
        double clean = TinyProblem.accuracy(P.model.predict(P.testX), P.testY), adv = TinyProblem.accuracy(r.predictions(), P.testY);
        assertTrue(adv < clean - 0.3, "spsa: " + clean + " -> " + adv);
        assertEquals(0, r.totalGradients());
        for (int i = 0; i < r.n(); i++) {
            assertTrue(r.queries()[i] <= 1000, "budget exceeded by example " + i);
            assertTrue(r.linf()[i] <= 0.2f + 1e-6f);
        }
        assertTrue(r.totalQueries() > 17L * r.n(), "at least one step per example that was not already misclassified");
    }

    @Test
    void reachesTargets() {
        int[] t = new int[P.testY.length];
        for (int i = 0; i < t.length; i++) t[i] = (P.testY[i] + 1) % 3;
        AttackResult r = Spsa.builder().eps(0.3f).queries(2000).samples(16).build().run(SCORES, P.testX, new TargetedMisclassification(t, P.testY));
        assertTrue(r.successRate() > 0.5, "targeted success " + r.successRate());
        assertEquals(Norm.LINF, r.norm());
    }
}
