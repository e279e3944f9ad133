package dev.feint.eval;

import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.blackbox.OnePixelAttack;
import dev.feint.attack.blackbox.SquareAttack;
import dev.feint.attack.gradient.Pgd;
import dev.feint.tensor.Parallel;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Same seed, same results whatever the thread count and batch size: every example's random
 * stream derives from its dataset index, and no kernel's thread split changes a bit.
 */
class DeterminismTest {
    private static final List<Attack> RANDOM_ATTACKS = List.of(Pgd.builder().eps(0.1f).steps(4).restarts(2).seed(3).build(),
            SquareAttack.builder().norm(Norm.LINF).eps(0.1f).queries(40).seed(4).build(),
            OnePixelAttack.builder().pixels(1).population(10).generations(3).seed(5).build());

    private record Run(Object report, List<AttackOutcome> outcomes) {}

    private static Run run(int threads, int batch) {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            TinyProblem p = TinyProblem.get();
            List<AttackOutcome> outcomes = new ArrayList<>();
            RobustnessReport r = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(RANDOM_ATTACKS)
                    .eps(0.05f, 0.1f).batchSize(batch).outcomes(outcomes::add).build().run();
            return new Run(EvalJournalTest.untimed(r.toJson()), outcomes);
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void threadsOneOrTwoAndBatchOneSevenOrSixtyFourGiveTheSameBits() {
        Run expected = run(1, 64);
        for (int[] tb : new int[][] {{2, 64}, {1, 1}, {2, 7}, {1, 7}, {2, 1}}) {
            Run r = run(tb[0], tb[1]);
            String what = "threads " + tb[0] + ", batch " + tb[1];
            assertEquals(expected.outcomes.size(), r.outcomes.size(), what);
            for (int i = 0; i < r.outcomes.size(); i++) {
                assertArrayEquals(expected.outcomes.get(i).adversarial().data(), r.outcomes.get(i).adversarial().data(), what + ", run " + i);
                List<ExampleResult> a = expected.outcomes.get(i).examples(), b = r.outcomes.get(i).examples();
                for (int e = 0; e < a.size(); e++) assertEquals(a.get(e).toMap(), b.get(e).toMap(), what + ", run " + i + ", example " + e);
            }
            assertEquals(expected.report, r.report, what);
        }
    }
}
