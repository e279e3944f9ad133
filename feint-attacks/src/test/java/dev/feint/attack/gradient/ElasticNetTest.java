package dev.feint.attack.gradient;

import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** EAD finds sparser perturbations than C&amp;W on the same images, and its L1 rule keeps the smallest L1. */
class ElasticNetTest {
    static final TinyProblem P = TinyProblem.get();

    static AttackResult run(dev.feint.attack.Attack a) { return a.run(P.model, P.testX, new Misclassification(P.testY)); }

    @Test
    void smallerL1AndFewerChangedValuesThanCarliniWagner() {
        AttackResult ead = run(ElasticNet.builder().beta(0.05f).decisionRule("l1").steps(100).binarySearchSteps(6).learningRate(0.02f).build());
        AttackResult cw = run(CarliniWagnerL2.builder().steps(100).binarySearchSteps(6).build());
        int both = 0;
        double l1Ead = 0, l1Cw = 0, l0Ead = 0, l0Cw = 0;
        for (int i = 0; i < ead.n(); i++) {
            if (!ead.success()[i] || !cw.success()[i] || ead.l2()[i] == 0) continue; // already misclassified: no perturbation
            both++;
            l1Ead += ead.size()[i];
            l1Cw += l1(cw, i);
            l0Ead += ead.l0()[i];
            l0Cw += cw.l0()[i];
        }
        assertTrue(both > P.testY.length / 2, "both succeeded on only " + both);
        assertTrue(l1Ead < 0.9 * l1Cw, "mean L1: ead " + l1Ead / both + ", cw " + l1Cw / both);
        assertTrue(l0Ead < l0Cw, "mean L0: ead " + l0Ead / both + ", cw " + l0Cw / both);
    }

    @Test
    void theL1RuleKeepsNoLargerL1ThanTheElasticNetRule() {
        AttackResult en = run(ElasticNet.builder().beta(0.01f).steps(60).binarySearchSteps(4).build());
        AttackResult l1 = run(ElasticNet.builder().beta(0.01f).steps(60).binarySearchSteps(4).decisionRule("l1").build());
        for (int i = 0; i < en.n(); i++)
            if (en.success()[i]) assertTrue(l1.success()[i] && l1.size()[i] <= en.size()[i] + 1e-5f, "example " + i);
        assertTrue(Arrays.equals(en.success(), l1.success()), "the rule only chooses among the same iterates");
    }

    static double l1(AttackResult r, int i) {
        double s = 0;
        float[] a = r.adversarial().data(), x = P.testX.data();
        for (int j = i * TinyProblem.D; j < (i + 1) * TinyProblem.D; j++) s += Math.abs(a[j] - x[j]);
        return s;
    }
}
