package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transfer figures re-derived: white-box from the surrogate's own evaluation, transfer from the target's predictions on the crafted inputs. */
class TransferEvaluationTest {
    static final TinyProblem P = TinyProblem.get();
    static final NamedModel A = new NamedModel("a", P.model);

    static NamedModel b() {
        Network net = Network.create(new Architecture("tiny2", new int[] {1, 4, 4}, 3, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 16, "out", 8), LayerSpec.of("relu"), LayerSpec.of("linear", "in", 8, "out", 3))), 5);
        // Trained briefly so that it classifies the problem too (a random target would make transfer meaningless).
        net.train();
        var opt = dev.feint.optim.Adam.adam(List.copyOf(net.body().namedParameters().values()), 0.02f);
        for (int s = 0; s < 150; s++) {
            opt.zeroGrad();
            dev.feint.loss.Losses.crossEntropy(net.forward(P.trainX), P.trainY).backward();
            opt.step();
        }
        return new NamedModel("b", NetworkModel.of(net));
    }

    @Test
    void whiteBoxMatchesTheSurrogatesEvaluationAndTransferTheTargetsPredictions() {
        NamedModel b = b();
        List<Attack> attacks = List.of(AttackRegistry.create("mifgsm:eps=0.1"), AttackRegistry.create("difgsm:eps=0.1,seed=2"));
        List<AttackOutcome> outs = new java.util.ArrayList<>();
        TransferReport r = TransferEvaluation.builder().surrogate(A).targets(List.of(b, A)).data(P.testX, P.testY).attacks(attacks)
                .eps(0.1f, 0.25f).batchSize(7).outcomes(outs::add).build().run();
        RobustnessReport own = RobustnessEvaluation.builder().model(P.model).data(P.testX, P.testY).attacks(attacks).eps(0.1f, 0.25f)
                .build().run();
        assertEquals(4, r.rows().size());
        assertEquals(own.cleanAccuracy(), r.surrogateClean(), 1e-12);
        assertEquals(accuracy(b, P.testX), r.targetClean()[0], 1e-12);
        for (int i = 0; i < 4; i++) {
            TransferReport.Row row = r.rows().get(i);
            assertEquals(own.entries().get(i).summary().robustAccuracy(), row.whiteBox(), 1e-12, row.attack() + " " + row.eps());
            assertEquals(accuracy(b, outs.get(i).adversarial()), row.transfer()[0], 1e-12);
            int[] onB = b.model().predict(outs.get(i).adversarial());
            for (int j = 0; j < onB.length; j++) assertEquals(onB[j] == P.testY[j], row.robust()[0][j], "example " + j);
            assertEquals(row.whiteBox(), row.transfer()[1], 1e-12, "the surrogate as a target is white-box");
            assertTrue(row.transfer()[0] < r.targetClean()[0], "nothing transferred at " + row.eps());
        }
        assertTrue(r.toMarkdown().contains("| mifgsm | 0.25 |"), r.toMarkdown());
        assertEquals(4, ((List<?>) r.toJson().get("rows")).size());
    }

    @Test
    void severalSurrogatesAreTheirEnsembleAndTheMatrixDiagonalIsWhiteBox() {
        NamedModel b = b();
        TransferEvaluation e = TransferEvaluation.builder().surrogates(List.of(A, b)).targets(List.of(A)).data(P.testX, P.testY)
                .attacks(List.of(AttackRegistry.create("fgsm:eps=0.2"))).eps(0.2f).build();
        assertEquals("a+b", e.surrogate().name());
        TransferMatrix.Report m = TransferMatrix.builder().models(List.of(A, b)).data(P.testX, P.testY)
                .attacks(List.of(AttackRegistry.create("fgsm:eps=0.2"))).eps(0.2f).build().run();
        double[][] acc = m.robust("fgsm", 0.2f);
        for (int s = 0; s < 2; s++) assertEquals(m.bySource().get(s).rows().getFirst().whiteBox(), acc[s][s], 1e-12);
        Tensor fromB = new AttackRunner(b.model()).run(AttackRegistry.create("fgsm:eps=0.2"), P.testX, P.testY, null).adversarial();
        assertEquals(accuracy(A, fromB), acc[1][0], 1e-12, "crafted on b, evaluated on a");
        assertTrue(acc[1][0] < m.clean()[0], "fgsm from b should lower a's accuracy");
        assertTrue(m.toMarkdown().contains("### fgsm, eps 0.2"));
    }

    @Test
    void minimumNormAttacksAndSingleModelMatricesAreRejected() {
        assertEquals("attacks holds deepfool, which has no eps budget; a transfer evaluation needs fixed-eps attacks (fgsm, pgd, mifgsm, difgsm, ...)",
                assertThrows(FeintException.class, () -> TransferEvaluation.builder().surrogate(A).targets(List.of(A))
                        .data(P.testX, P.testY).attacks(List.of(DeepFool.builder().build())).eps(0.1f).build()).getMessage());
        assertEquals("models must hold at least two models for a transfer matrix, got 1", assertThrows(FeintException.class,
                () -> TransferMatrix.builder().models(List.of(A)).build()).getMessage());
    }

    static double accuracy(NamedModel m, Tensor x) { return TinyProblem.accuracy(m.model().predict(x), P.testY); }
}
