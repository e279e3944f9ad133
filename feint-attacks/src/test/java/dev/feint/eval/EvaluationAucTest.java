package dev.feint.eval;

import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.Fgsm;
import dev.feint.io.Json;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AUCs of an evaluation, recomputed from its outcomes with the O(n^2) pair count. */
class EvaluationAucTest {
    /** Log-softmax rows in double, written independently of {@link SoftmaxScores}. */
    static double[][] logSoftmax(Tensor logits) {
        int k = logits.dim(1), n = logits.dim(0);
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int c = 0; c < k; c++) m = Math.max(m, logits.data()[i * k + c]);
            for (int c = 0; c < k; c++) s += Math.exp(logits.data()[i * k + c] - m);
            for (int c = 0; c < k; c++) out[i][c] = logits.data()[i * k + c] - m - Math.log(s);
        }
        return out;
    }

    static double max(double[] r) {
        double b = r[0];
        for (double v : r) b = Math.max(b, v);
        return b;
    }

    @Test
    void aucsMatchThePairCountOnTheOutcomes() {
        TinyProblem p = TinyProblem.get();
        List<Attack> attacks = List.of(Fgsm.builder().eps(0.1f).build(), DeepFool.builder().norm(Norm.LINF).build());
        List<AttackOutcome> outcomes = new ArrayList<>();
        RobustnessReport r = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(attacks).eps(0f, 0.25f)
                .batchSize(25).outcomes(outcomes::add).build().run();
        int n = p.testY.length, k = TinyProblem.CLASSES;
        double[][] clean = logSoftmax(p.model.logits(p.testX));
        double[] perClass = new double[k];
        for (int c = 0; c < k; c++) {
            double[] col = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                col[i] = clean[i][c];
                pos[i] = p.testY[i] == c;
            }
            perClass[c] = RocAucTest.pairCount(col, pos);
        }
        assertArrayEquals(perClass, r.cleanAuc().perClass(), 1e-9);
        assertTrue(r.cleanAuc().macro() > 0.9, "a trained model ranks its classes well: " + r.cleanAuc().macro());

        // FGSM at eps 0 changes nothing: the same per-class AUCs, nothing to detect
        RobustnessReport.Entry zero = r.entries().get(0);
        assertEquals(0f, zero.eps());
        assertArrayEquals(r.cleanAuc().perClass(), zero.auc().classes().perClass(), 0);
        assertEquals(0, zero.auc().adversarial());
        assertTrue(Double.isNaN(zero.auc().detection()));

        // FGSM at eps 0.25: recompute from the adversarial inputs
        AttackOutcome o = outcomes.get(1);
        RobustnessReport.Entry at = r.entries().get(1);
        assertEquals(0.25f, at.eps());
        double[][] adv = logSoftmax(p.model.logits(o.adversarial()));
        List<Double> scores = new ArrayList<>();
        List<Boolean> isClean = new ArrayList<>();
        int correct = 0, fooled = 0;
        for (int i = 0; i < n; i++) {
            ExampleResult e = o.examples().get(i);
            if (!e.cleanCorrect()) continue;
            correct++;
            scores.add(max(clean[i]));
            isClean.add(true);
            if (e.success()) {
                fooled++;
                scores.add(max(adv[i]));
                isClean.add(false);
            }
        }
        double[] s = new double[scores.size()];
        boolean[] pos = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            pos[i] = isClean.get(i);
        }
        assertTrue(fooled > 0, "fgsm at 0.25 fools some");
        assertEquals(correct, at.auc().clean());
        assertEquals(fooled, at.auc().adversarial());
        assertEquals(RocAucTest.pairCount(s, pos), at.auc().detection(), 1e-6);

        // DeepFool (minimum norm) at eps 0: every example keeps its clean input
        RobustnessReport.Entry df = r.entries().stream().filter(e -> e.attack().equals("deepfool") && e.eps() == 0f).findFirst().orElseThrow();
        assertArrayEquals(r.cleanAuc().perClass(), df.auc().classes().perClass(), 0);

        Map<?, ?> json = (Map<?, ?>) Json.parse(Json.writePretty(r.toJson()));
        assertEquals(3, ((List<?>) ((Map<?, ?>) json.get("cleanRocAuc")).get("perClass")).size());
        Map<?, ?> res = (Map<?, ?>) ((List<?>) json.get("results")).get(1);
        assertEquals((long) fooled, ((Number) ((Map<?, ?>) res.get("detectionAuc")).get("adversarial")).longValue());
        assertTrue(((Map<?, ?>) res.get("rocAuc")).containsKey("macro"));
        String md = r.toMarkdown();
        assertTrue(md.contains("| clean |  | **"), md);
        assertTrue(md.contains("detection AUC"), md);
    }
}
