package dev.feint.eval.audit;

import org.junit.jupiter.api.Test;

import static dev.feint.eval.audit.Verdict.FAIL;
import static dev.feint.eval.audit.Verdict.PASS;
import static dev.feint.eval.audit.Verdict.WARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every check's judgement on synthetic figures just at and just past its thresholds. */
class AuditChecksTest {
    static final double TINY = 1e-6;

    @Test
    void unboundedAttackMustReachZero() {
        assertEquals(PASS, UnboundedAttackCheck.judge(0, 1f, "linf").verdict());
        assertEquals(WARN, UnboundedAttackCheck.judge(0.005, 1f, "linf").verdict());
        assertEquals(WARN, UnboundedAttackCheck.judge(UnboundedAttackCheck.FAIL_ABOVE, 1f, "linf").verdict());
        CheckResult f = UnboundedAttackCheck.judge(UnboundedAttackCheck.FAIL_ABOVE + TINY, 1f, "linf");
        assertEquals(FAIL, f.verdict());
        assertEquals(UnboundedAttackCheck.FAIL_ABOVE, f.threshold(), "the threshold crossed is reported");
        assertEquals(UnboundedAttackCheck.FAIL_ABOVE + TINY, f.figure());
        assertTrue(f.message().contains("masked gradients"), f.message());
    }

    @Test
    void robustAccuracyMustNotRiseWithEps() {
        float[] eps = {0, 0.05f, 0.1f, 1f};
        assertEquals(PASS, MonotoneEpsCheck.judge(eps, new double[] {0.9, 0.6, 0.6, 0}).verdict());
        assertEquals(WARN, MonotoneEpsCheck.judge(eps, new double[] {0.9, 0.6, 0.61, 0}).verdict());
        CheckResult f = MonotoneEpsCheck.judge(eps, new double[] {0.9, 0.6, 0.6 + MonotoneEpsCheck.FAIL_ABOVE + TINY, 0});
        assertEquals(FAIL, f.verdict());
        assertTrue(f.message().contains("from eps 0.05 to 0.1"), f.message());
        assertEquals(FAIL, MonotoneEpsCheck.judge(eps, new double[] {0.9, 0.6, 0.6, 0.65}).verdict(), "a rise at the last radius counts too");
    }

    @Test
    void strongerAttacksMustNotDoWorseAndRestartsMustGainLittle() {
        String[] l = {"fgsm", "pgd-10", "pgd-100", "pgd-100x5"};
        assertEquals(PASS, ConvergenceCheck.judge(l, new double[] {0.7, 0.62, 0.6, 0.6}).verdict());
        assertEquals(PASS, ConvergenceCheck.judge(l, new double[] {0.7, 0.62, 0.6, 0.59}).verdict(), "one example of 100, in double");
        assertEquals(WARN, ConvergenceCheck.judge(l, new double[] {0.7, 0.62, 0.6, 0.6 - ConvergenceCheck.GAIN_WARN_ABOVE - TINY}).verdict());
        CheckResult gain = ConvergenceCheck.judge(l, new double[] {0.7, 0.62, 0.6, 0.6 - ConvergenceCheck.GAIN_FAIL_ABOVE - TINY});
        assertEquals(FAIL, gain.verdict());
        assertTrue(gain.message().contains("not converged"), gain.message());
        // A single step beating the iterative attacks is masking: the rise decides.
        CheckResult rise = ConvergenceCheck.judge(l, new double[] {0.5, 0.62, 0.6, 0.6});
        assertEquals(FAIL, rise.verdict());
        assertEquals(0.12, rise.figure(), 1e-12);
        assertTrue(rise.message().startsWith("pgd-10 leaves"), rise.message());
        assertEquals(WARN, ConvergenceCheck.judge(l, new double[] {0.7, 0.6, 0.61, 0.61}).verdict());
    }

    @Test
    void blackBoxMustNotBreakWhatWhiteBoxMissed() {
        assertEquals(PASS, BlackBoxCheck.judge("square", 0, 0.6, 0.7, 1000).verdict());
        assertEquals(PASS, BlackBoxCheck.judge("square", BlackBoxCheck.WARN_ABOVE, 0.6, 0.6, 1000).verdict(), "2 of 1,000: AutoAttack's alpha");
        assertEquals(WARN, BlackBoxCheck.judge("square", 0.003, 0.6, 0.6, 1000).verdict());
        assertEquals(PASS, BlackBoxCheck.judge("square", 0.01, 0.6, 0.6, 100).verdict(), "one example of 100 is not a pattern");
        assertEquals(WARN, BlackBoxCheck.judge("square", 0.02, 0.6, 0.6, 100).verdict());
        CheckResult f = BlackBoxCheck.judge("square", BlackBoxCheck.FAIL_ABOVE + TINY, 0.6, 0.5, 1000);
        assertEquals(FAIL, f.verdict());
        assertEquals(0.5, (double) f.details().get("blackBoxRobustAccuracy"));
        assertEquals(PASS, BlackBoxCheck.judge("square", 1.0 / 40, 0.6, 0.6, 40).verdict(), "a lone example never fails a small audit");
        assertEquals(FAIL, BlackBoxCheck.judge("square", 2.0 / 40, 0.6, 0.6, 40).verdict());
    }

    @Test
    void noiseMustNotBreakWhatTheAttackMissed() {
        assertEquals(PASS, NoiseCheck.judge(0, 0.8, 0.6).verdict());
        assertEquals(WARN, NoiseCheck.judge(NoiseCheck.FAIL_ABOVE, 0.8, 0.6).verdict());
        assertEquals(FAIL, NoiseCheck.judge(NoiseCheck.FAIL_ABOVE + TINY, 0.5, 0.6).verdict());
        assertEquals(0.8, (double) NoiseCheck.judge(0, 0.8, 0.6).details().get("noiseAccuracy"), "the noise accuracy is reported");
    }

    @Test
    void gradientsMustBeFiniteAndNonZero() {
        assertEquals(PASS, GradientHealthCheck.judge(0, 0, 0).verdict());
        CheckResult ce = GradientHealthCheck.judge(0, 0, 0.2);
        assertEquals(WARN, ce.verdict(), "a saturated cross-entropy alone has a remedy");
        assertTrue(ce.message().contains("DLR"), ce.message());
        assertEquals(WARN, GradientHealthCheck.judge(GradientHealthCheck.ZERO_FAIL_ABOVE, 0, 0).verdict());
        assertEquals(FAIL, GradientHealthCheck.judge(GradientHealthCheck.ZERO_FAIL_ABOVE + TINY, 0, 0).verdict());
        CheckResult nan = GradientHealthCheck.judge(0, 0.001, 0);
        assertEquals(FAIL, nan.verdict());
        assertTrue(nan.message().contains("NaN"), nan.message());
    }

    @Test
    void probabilitiesAreFlaggedAndLogitsAreNot() {
        assertEquals(PASS, ProbabilityOutputCheck.judge(0).verdict());
        assertEquals(PASS, ProbabilityOutputCheck.judge(ProbabilityOutputCheck.WARN_ABOVE).verdict());
        assertEquals(WARN, ProbabilityOutputCheck.judge(1).verdict());
        assertTrue(ProbabilityOutputCheck.isDistribution(new float[] {0.2f, 0.3f, 0.5f}, 0, 3));
        assertTrue(ProbabilityOutputCheck.isDistribution(new float[] {9, 1f, 0f, 9}, 1, 2), "offset honoured");
        assertTrue(!ProbabilityOutputCheck.isDistribution(new float[] {1.5f, -0.5f}, 0, 2), "sums to 1 but negative");
        assertTrue(!ProbabilityOutputCheck.isDistribution(new float[] {0.2f, 0.3f, 0.51f}, 0, 3));
    }

    @Test
    void randomisedModelNeedsEot() {
        var still = new RandomisedModelCheck.Probe(5, 0, 0);
        var barely = new RandomisedModelCheck.Probe(5, RandomisedModelCheck.TOLERANCE, 0);
        var moving = new RandomisedModelCheck.Probe(5, 2 * RandomisedModelCheck.TOLERANCE, 0);
        var flipping = new RandomisedModelCheck.Probe(5, 0, 0.01);
        assertEquals(PASS, RandomisedModelCheck.judge(still, Double.NaN).verdict());
        assertEquals(PASS, RandomisedModelCheck.judge(barely, Double.NaN).verdict());
        assertEquals(FAIL, RandomisedModelCheck.judge(moving, Double.NaN).verdict(), "required and not run");
        assertEquals(FAIL, RandomisedModelCheck.judge(flipping, Double.NaN).verdict(), "a changed prediction is randomness too");
        CheckResult ran = RandomisedModelCheck.judge(moving, 0.3);
        assertEquals(WARN, ran.verdict(), "EOT ran: the figures are usable");
        assertTrue(ran.message().contains("rand version") && ran.message().contains("30.0%"), ran.message());
        assertEquals(0.3, (double) ran.details().get("randRobustAccuracy"));
    }

    @Test
    void classCountDecidesDlrAndTargets() {
        assertEquals(WARN, ClassCountCheck.judge(2).verdict());
        assertTrue(ClassCountCheck.judge(2).message().contains("DLR loss is undefined"));
        assertEquals(WARN, ClassCountCheck.judge(3).verdict());
        assertTrue(ClassCountCheck.judge(3).message().contains("targeted DLR loss is undefined"));
        CheckResult four = ClassCountCheck.judge(4);
        assertEquals(PASS, four.verdict());
        assertEquals(3L, four.details().get("targets"), "every other class is a target");
        assertEquals(9L, ClassCountCheck.judge(10).details().get("targets"));
        assertEquals(9L, ClassCountCheck.judge(100).details().get("targets"));
    }

    @Test
    void theSummaryIsTheWorstCheckAndVerdictsCombine() {
        assertEquals(FAIL, WARN.and(FAIL));
        assertEquals(WARN, WARN.and(PASS));
        assertEquals(PASS, PASS.and(PASS));
        var r = new AuditReport(10, dev.feint.attack.Norm.LINF, 0.1f, 0.9, 0.5, 0.5,
                java.util.List.of(ClassCountCheck.judge(10), ClassCountCheck.judge(3), UnboundedAttackCheck.judge(0, 1f, "linf")),
                java.util.List.of());
        assertEquals(WARN, r.verdict());
        assertEquals(2, r.count(PASS));
        assertTrue(r.toMarkdown().contains("## Audit: WARN"));
    }
}
