package dev.feint.eval;

import dev.feint.attack.Attack;
import dev.feint.attack.blackbox.OnePixelAttack;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.Pgd;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.data.ExampleSource;
import dev.feint.tensor.Tensor;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The evaluation and the attack runner read a {@link Dataset} batch by batch (never asking its
 * source for more than a batch) and give the same bits as the same examples held as one tensor.
 */
class StreamingEvaluationTest {
    /** The examples of a tensor, handed out only as asked, recording the largest request. */
    record Counting(Tensor x, AtomicInteger largest) implements ExampleSource {
        @Override public int size() { return x.dim(0); }

        @Override public int[] shape() { return new int[] {x.dim(1), x.dim(2), x.dim(3)}; }

        @Override public void read(int[] indices, float[] out) {
            largest.accumulateAndGet(indices.length, Math::max);
            int per = exampleSize();
            for (int k = 0; k < indices.length; k++) System.arraycopy(x.data(), indices[k] * per, out, k * per, per);
        }

        @Override public String origin() { return "counting"; }
    }

    private static final List<Attack> ATTACKS = List.of(Pgd.builder().eps(0.1f).steps(3).restarts(2).seed(3).build(),
            DeepFool.builder().steps(10).build(), OnePixelAttack.builder().pixels(1).population(8).generations(2).seed(5).build());

    @Test void streamedDatasetGivesTheWholeTensorsResultsReadingOneBatchAtATime() {
        TinyProblem p = TinyProblem.get();
        int batch = 7;
        AtomicInteger largest = new AtomicInteger();
        Dataset streamed = new Dataset("tiny", new Counting(p.testX, largest), p.testY, TinyProblem.CLASSES,
                Datasets.numbered(TinyProblem.CLASSES));
        List<AttackOutcome> whole = new ArrayList<>(), stream = new ArrayList<>();
        RobustnessReport a = RobustnessEvaluation.builder().model(p.model).data(p.testX, p.testY).attacks(ATTACKS).eps(0.05f, 0.1f)
                .batchSize(batch).outcomes(whole::add).build().run();
        RobustnessReport b = RobustnessEvaluation.builder().model(p.model).data(streamed).attacks(ATTACKS).eps(0.05f, 0.1f)
                .batchSize(batch).outcomes(stream::add).build().run();
        assertTrue(largest.get() > 0 && largest.get() <= batch, "the source was read a batch at a time: " + largest.get());
        assertEquals(EvalJournalTest.untimed(a.toJson()), EvalJournalTest.untimed(b.toJson()));
        assertEquals(whole.size(), stream.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i).adversarial().data(), stream.get(i).adversarial().data(), "run " + i);
            for (int e = 0; e < p.testY.length; e++)
                assertEquals(whole.get(i).examples().get(e).toMap(), stream.get(i).examples().get(e).toMap(), "run " + i + ", example " + e);
        }
        assertTrue(a.entries().stream().anyMatch(en -> en.summary().robustAccuracy() < a.cleanAccuracy()), "the attacks did something");

        largest.set(0);
        AttackOutcome r1 = new AttackRunner(p.model).batchSize(5).run(ATTACKS.getFirst(), p.testX, p.testY, null);
        AttackOutcome r2 = new AttackRunner(p.model).batchSize(5).run(ATTACKS.getFirst(), streamed);
        assertTrue(largest.get() <= 5, "runner: " + largest.get());
        assertArrayEquals(r1.adversarial().data(), r2.adversarial().data());
        assertEquals(r1.toJson().get("examples"), r2.toJson().get("examples"));

        // Without the whole output: the same batches reach the sink, and the same per-example results.
        float[] sunk = new float[r1.adversarial().size()];
        int per = p.testX.size() / p.testY.length;
        AttackOutcome r3 = new AttackRunner(p.model).batchSize(5).keepInputs(false)
                .batches((from, adv) -> System.arraycopy(adv.data(), 0, sunk, from * per, adv.size())).run(ATTACKS.getFirst(), streamed);
        assertNull(r3.adversarial(), "no N x C x H x W output kept");
        assertArrayEquals(r1.adversarial().data(), sunk);
        assertEquals(r1.toJson().get("examples"), r3.toJson().get("examples"));
    }
}
