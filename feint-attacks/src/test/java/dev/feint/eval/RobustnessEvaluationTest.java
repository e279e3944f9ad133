package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.Fgsm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.io.Json;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustnessEvaluationTest {
    static final float[] EPS = {0f, 0.1f, 0.25f};

    static RobustnessReport report() { return report(new java.util.ArrayList<>()); }

    static RobustnessReport report(List<AttackOutcome> outcomes) {
        TinyProblem p = TinyProblem.get();
        List<Attack> attacks = List.of(Fgsm.builder().eps(0.1f).build(), Pgd.builder().eps(0.1f).steps(10).build(),
                DeepFool.builder().norm(Norm.LINF).build());
        return RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(attacks).eps(EPS).batchSize(25)
                .outcomes(outcomes::add).build().run();
    }

    @Test
    void robustAccuracyFallsWithEpsAndTheWorstCaseIsNoBetterThanAnyAttack() {
        List<AttackOutcome> outcomes = new java.util.ArrayList<>();
        RobustnessReport r = report(outcomes);
        assertEquals(7, outcomes.size(), "fixed-eps attacks run per eps, deepfool once");
        assertTrue(r.cleanAccuracy() > 0.85);
        assertEquals(9, r.entries().size());
        for (RobustnessReport.Entry e : r.entries()) {
            if (e.eps() == 0f) assertEquals(r.cleanAccuracy(), e.summary().robustAccuracy(), 1e-9, e.attack() + " at eps 0");
            assertTrue(e.summary().robustAccuracy() >= r.worstCase(Norm.LINF, e.eps()) - 1e-12);
        }
        double prev = 2;
        for (float e : EPS) {
            double w = r.worstCase(Norm.LINF, e);
            assertTrue(w <= prev, "worst case must not rise with eps");
            prev = w;
        }
        assertTrue(r.worstCase(Norm.LINF, 0.25f) < r.cleanAccuracy() - 0.3, "attacks at eps 0.25 should hurt");
    }

    @Test
    void rendersJsonAndMarkdown() {
        RobustnessReport r = report();
        String json = Json.writePretty(r.toJson());
        Map<?, ?> back = (Map<?, ?>) Json.parse(json);
        assertEquals(9, ((List<?>) back.get("results")).size());
        assertEquals(3, ((List<?>) back.get("worstCase")).size());
        assertEquals(4, ((List<?>) back.get("curves")).size()); // worst case + 3 attacks
        Map<?, ?> first = (Map<?, ?>) ((List<?>) back.get("results")).get(0);
        for (String k : List.of("attack", "norm", "eps", "parameters", "cleanAccuracy", "robustAccuracy", "attackSuccessRate",
                "meanAdversarialConfidence", "linf", "l2", "l0", "gradientEvaluations", "wallSeconds"))
            assertTrue(first.containsKey(k), "missing " + k);
        String md = r.toMarkdown();
        assertTrue(md.contains("| **worst case** | linf |"), md);
        assertTrue(md.contains("| deepfool | linf |"), md);
    }

    @Test
    void badInputIsAUserError() {
        TinyProblem p = TinyProblem.get();
        var b = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(List.of(Fgsm.builder().eps(0.1f).build()));
        assertEquals("eps must be finite numbers >= 0, got -0.1",
                assertThrows(FeintException.class, () -> b.eps(-0.1f).build()).getMessage());
        assertEquals("fgsm: eps 2.0 exceeds the largest linf distance 1.0 within the model's bounds [0.0, 1.0]",
                assertThrows(FeintException.class, () -> b.eps(2f).build().run()).getMessage());
        var wrong = RobustnessEvaluation.builder().model(p.model).data(dev.feint.tensor.Tensor.zeros(2, 1, 5, 5), new int[] {0, 1})
                .attacks(List.of(Fgsm.builder().eps(0.1f).build())).eps(0.1f);
        assertEquals("the data has examples [1, 5, 5] but the model expects inputs [1, 4, 4]",
                assertThrows(FeintException.class, wrong::build).getMessage());
    }

    @Test
    void targetedEvaluationReportsTargetedSuccess() {
        TinyProblem p = TinyProblem.get();
        RobustnessReport r = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY)
                .attacks(List.of(Pgd.builder().eps(0.25f).steps(10).build())).eps(0.25f).targets(TargetChooser.leastLikely())
                .build().run();
        double t = r.entries().get(0).summary().targetedSuccessRate();
        assertTrue(t > 0.5 && t <= 1, "targeted success " + t);
    }

    @Test
    void pixelAttacksRunOnceAndHaveTheirOwnWorstCasePerBudget() {
        TinyProblem p = TinyProblem.get();
        List<AttackOutcome> outcomes = new java.util.ArrayList<>();
        var onePixel = dev.feint.attack.blackbox.OnePixelAttack.builder().pixels(2).population(20).queries(1 + 20 * 8).seed(2).build();
        var search = dev.feint.attack.blackbox.PixelSearch.builder().build();
        RobustnessReport r = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY)
                .attacks(List.of(Fgsm.builder().eps(0.1f).build(), onePixel, search)).eps(0.05f, 0.1f).batchSize(25)
                .outcomes(outcomes::add).build().run();
        assertEquals(4, outcomes.size(), "fgsm per eps, each pixel attack once");
        assertEquals(2, r.entries().size());
        assertEquals(List.of(Norm.LINF), r.norms(), "pixel attacks never join an eps norm");
        assertEquals(List.of("fgsm"), r.attacks());
        assertEquals(2, r.pixelEntries().size());
        assertEquals(List.of(1, 2), r.pixelBudgets());
        double one = r.pixelEntries().get(0).summary().robustAccuracy(), ps = r.pixelEntries().get(1).summary().robustAccuracy();
        assertTrue(ps < r.cleanAccuracy(), "pixel search must break something on a 4x4 input");
        assertEquals(ps, r.worstCasePixels(1), 1e-12, "budget 1: pixel search alone");
        assertTrue(r.worstCasePixels(2) <= Math.min(one, ps) + 1e-12, "budget 2: both (a 1-pixel success is a 2-pixel one)");
        assertTrue(Double.isNaN(r.worstCasePixels(0)));
        Map<?, ?> back = (Map<?, ?>) Json.parse(Json.writePretty(r.toJson()));
        assertEquals(2, ((List<?>) back.get("results")).size());
        List<?> pixel = (List<?>) back.get("pixelAttacks");
        Map<?, ?> first = (Map<?, ?>) pixel.get(0);
        assertEquals("onepixel", first.get("attack"));
        assertEquals("l0", first.get("norm"));
        assertEquals(2L, first.get("pixels"));
        for (String k : List.of("robustAccuracy", "attackSuccessRate", "queriesToSuccess", "successVsQueries", "pixelL0", "queries"))
            assertTrue(first.containsKey(k), "missing " + k);
        assertEquals(2, ((List<?>) back.get("pixelWorstCase")).size());
        String md = r.toMarkdown();
        assertTrue(md.contains("| onepixel | 2 |") && md.contains("| pixel-search | 1 |"), md);
        assertTrue(md.contains("| **worst case** | 2 |"), md);
        assertTrue(md.contains("| fgsm | linf |"), md);
    }

    @Test
    void onlyPixelAttacksNeedNoEps() {
        TinyProblem p = TinyProblem.get();
        var b = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).batchSize(25);
        RobustnessReport r = b.attacks(List.of(dev.feint.attack.blackbox.PixelSearch.builder().queries(9).build())).build().run();
        assertEquals(0, r.eps().length);
        assertEquals(1, r.pixelEntries().size());
        assertTrue(r.toMarkdown().contains("| pixel-search | 1 |"));
        assertEquals("eps must hold at least one radius", assertThrows(FeintException.class,
                () -> b.attacks(List.of(Fgsm.builder().eps(0.1f).build())).build()).getMessage());
    }
}
