package dev.feint.eval.audit;

import dev.feint.FeintException;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.io.Json;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.NetworkModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit end to end on the demo LeNets: it passes the PGD-trained one and fails the same one behind a rounding layer. */
class AuditTest {
    /** A cheaper audit than the default (the verdicts on these models do not depend on it), to keep the suite fast. */
    static final AuditBudget QUICK = AuditBudget.DEFAULT.withSteps(5, 20).withRestarts(2).withSquareQueries(500)
            .withTargets(3);

    @Test
    void passesThePgdTrainedLeNet() {
        Dataset d = MaskedModels.demoData(100);
        AuditReport r = Audit.builder().model(MaskedModels.demo("fmnist-lenet-pgd.safetensors")).data(d).eps(0.1f).budget(QUICK)
                .build().run();
        for (CheckResult c : r.checks()) assertEquals(Verdict.PASS, c.verdict(), c.id() + ": " + c.message());
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals(9, r.checks().size(), "no surrogate: no transfer check");
        assertTrue(r.cleanAccuracy() > 0.6 && r.robustAccuracy() > 0.4, r.headline());
        assertTrue(r.robustAccuracy() <= r.whiteBoxRobustAccuracy() && r.whiteBoxRobustAccuracy() <= r.cleanAccuracy(), r.headline());
        assertEquals(0.0, r.check("unbounded").figure(), "the unbounded attack breaks everything");
        // The audit's runs are shared: one long PGD at eps serves several checks.
        long atEps = r.runs().stream().filter(x -> x.label().equals("pgd-20") && x.eps() == 0.1f).count();
        assertEquals(1, atEps);
        Map<?, ?> back = (Map<?, ?>) Json.parse(Json.writePretty(r.toJson()));
        assertEquals("PASS", back.get("verdict"));
        assertEquals(9, ((List<?>) back.get("checks")).size());
        assertEquals(r.runs().size(), ((List<?>) back.get("runs")).size());
        assertTrue(r.evaluation().worstCase(Norm.LINF, 0.1f) >= r.robustAccuracy(), "the report's worst case excludes only noise");
    }

    @Test
    void failsTheSameLeNetBehindAnInputRoundingLayer() {
        DifferentiableModel masked = MaskedModels.rounded(MaskedModels.demo("fmnist-lenet-pgd.safetensors"), 8);
        AuditReport r = Audit.builder().model(masked).data(MaskedModels.demoData(40)).eps(0.1f).budget(QUICK)
                .checks(List.of(new GradientHealthCheck(), new UnboundedAttackCheck(), new BlackBoxCheck(), new ProbabilityOutputCheck()))
                .build().run();
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(Verdict.FAIL, r.check("gradients").verdict());
        assertEquals(1.0, r.check("gradients").figure(), "every gradient is zero");
        assertEquals(Verdict.FAIL, r.check("unbounded").verdict(), r.check("unbounded").message());
        assertEquals(Verdict.FAIL, r.check("black-box").verdict(), r.check("black-box").message());
        assertEquals(Verdict.PASS, r.check("logits").verdict(), "it still outputs logits");
        assertTrue(r.robustAccuracy() < r.whiteBoxRobustAccuracy(), "Square's successes lower the audit's figure");
    }

    @Test
    void theRandomisedCheckTriggersForARandomInputTransformationOnlyAndRunsTheRandVersion() {
        NetworkModel plain = MaskedModels.demo("fmnist-lenet.safetensors");
        Dataset d = MaskedModels.demoData(12);
        List<AuditCheck> probe = List.of(new RandomisedModelCheck());
        AuditReport still = Audit.builder().model(plain).data(d).eps(0.1f).budget(QUICK).checks(probe).build().run();
        assertEquals(Verdict.PASS, still.verdict(), still.checks().get(0).message());
        assertEquals(0.0, still.checks().get(0).figure(), "a deterministic model repeats bit for bit");
        assertTrue(still.runs().isEmpty(), "no attack for a deterministic model");
        AuditReport noisy = Audit.builder().model(MaskedModels.noisy(plain, 0.05f, 3)).data(d).eps(0.1f).budget(QUICK).checks(probe)
                .build().run();
        CheckResult c = noisy.checks().get(0);
        assertEquals(Verdict.WARN, c.verdict(), c.message());
        assertTrue(c.figure() > RandomisedModelCheck.TOLERANCE, "figure " + c.figure());
        assertEquals(List.of("autoattack-rand"), noisy.runs().stream().map(AuditRun.Run::label).toList(), "the rand version ran");
        assertEquals("rand", noisy.runs().get(0).outcome().attack().parameters().get("version"));
        double rand = (double) c.details().get("randRobustAccuracy");
        assertTrue(rand < noisy.cleanAccuracy() - 0.3 && rand == noisy.robustAccuracy(), "EOT breaks the natural LeNet: " + rand);
    }

    @Test
    void theTransferCheckRunsWithASurrogate() {
        Dataset d = MaskedModels.demoData(40);
        AuditReport r = Audit.builder().model(MaskedModels.demo("fmnist-lenet-pgd.safetensors")).surrogate(MaskedModels.demo("fmnist-lenet.safetensors"))
                .data(d).eps(0.1f).budget(QUICK).checks(List.of(new TransferCheck())).build().run();
        CheckResult c = r.check("transfer");
        assertEquals(Verdict.PASS, c.verdict(), c.message());
        double transfer = (double) c.details().get("blackBoxRobustAccuracy");
        assertTrue(transfer <= r.cleanAccuracy() && transfer >= r.whiteBoxRobustAccuracy(),
                "the transfer attack is weaker than white-box: " + transfer + " vs " + r.whiteBoxRobustAccuracy());
        assertTrue(r.runs().stream().anyMatch(x -> x.kind() == AuditRun.Kind.TRANSFER), "the transfer run is listed");
    }

    @Test
    void badParametersAreNamed() {
        NetworkModel m = MaskedModels.demo("fmnist-lenet.safetensors");
        Dataset d = MaskedModels.demoData(5);
        assertEquals("audit: eps must be > 0 and below the unbounded linf radius 1.0 of the model's bounds [0.0, 1.0], got 1.0",
                assertThrows(FeintException.class, () -> Audit.builder().model(m).data(d).eps(1f).build()).getMessage());
        assertEquals("audit: eps is required", assertThrows(FeintException.class, () -> Audit.builder().model(m).data(d).build()).getMessage());
        assertEquals("audit: the transfer check needs a surrogate model", assertThrows(FeintException.class,
                () -> Audit.builder().model(m).data(d).eps(0.1f).checks(List.of(new TransferCheck())).build()).getMessage());
        assertEquals("audit: norm l0 is not supported (expected linf, l2 or l1)",
                assertThrows(FeintException.class, () -> Audit.builder().model(m).data(d).eps(1f).norm(Norm.L0).build()).getMessage());
        assertEquals("audit: restarts must be >= 2, got 1", assertThrows(FeintException.class, () -> QUICK.withRestarts(1)).getMessage());
    }
}
