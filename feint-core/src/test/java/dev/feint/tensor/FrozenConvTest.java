package dev.feint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.feint.autograd.Convolutions;
import dev.feint.optim.Sgd;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conv weights prepared once per FrozenWeights scope (packed, or Winograd-transformed for the 5x5
 * layer with 16+ channels): the same bits as unprepared, never stale, the bias read at each call.
 */
class FrozenConvTest {
    private final SplittableRandom r = new SplittableRandom(8);

    /** {value, input gradient} of sum(up * convReluPool(x)); channels 3 (direct) or 16 (Winograd). */
    private float[][] run(Tensor x0, Tensor w, Tensor b) {
        Tensor x = new Tensor(x0.shape(), x0.data().clone()).requiresGrad(true);
        Tensor y = Convolutions.conv2dReluPool(x, w, b, 1, 2, 1, 2);
        y.mul(Tensor.uniform(new SplittableRandom(1), -1, 1, y.shape().dims())).sum().backward();
        return new float[][] {y.data(), x.grad()};
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 16})
    void preparedWeightsGiveTheSameBitsAndSeeEveryChange(int channels) {
        Tensor x = Tensor.uniform(r, -1, 1, 3, channels, 10, 10), w = Tensor.uniform(r, -0.2f, 0.2f, 20, channels, 5, 5);
        Tensor b = Tensor.uniform(r, -1, 1, 20);
        float[][] outside = run(x, w, b);
        try (var frozen = FrozenWeights.open()) {
            assertArrayEquals(outside[0], run(x, w, b)[0]);
            float[][] kept = run(x, w, b);                             // from the prepared weights
            assertArrayEquals(outside[0], kept[0]);
            assertArrayEquals(outside[1], kept[1]);
            // Another batch size in the same scope: the prepared weights fit any batch.
            Tensor one = new Tensor(Shape.of(1, channels, 10, 10), java.util.Arrays.copyOf(x.data(), channels * 100));
            float[] single = run(one, w, b)[0];
            assertArrayEquals(java.util.Arrays.copyOf(outside[0], single.length), single);
            // A bias write without markModified is seen: the bias is read at each call.
            b.data()[3] += 0.5f;
            float[] biased = run(x, w, b)[0];
            assertFalse(java.util.Arrays.equals(outside[0], biased), "the bias change changed nothing");
            b.data()[3] -= 0.5f;
            // An optimizer step (which marks the weights modified) is seen.
            w.requiresGrad(true);
            run(x, w, b);
            new Sgd(List.of(w), 0.5f, 0f, false, 0f).step();
            float[][] stepped = run(x, w, b);
            assertFalse(java.util.Arrays.equals(outside[0], stepped[0]), "the step changed nothing: the test proves little");
            w.requiresGrad(false);
            Tensor fresh = new Tensor(w.shape(), w.data().clone());
            float[][] want = runOutside(x, fresh, b);
            assertArrayEquals(want[0], stepped[0]);
            assertArrayEquals(want[1], stepped[1]);
        }
    }

    /** The same computation on a thread with no scope open. */
    private float[][] runOutside(Tensor x, Tensor w, Tensor b) {
        float[][][] out = new float[1][][];
        Thread t = new Thread(() -> out[0] = run(x, w, b));
        t.start();
        try { t.join(); } catch (InterruptedException e) { throw new AssertionError(e); }
        return out[0];
    }
}
