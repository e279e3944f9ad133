package dev.feint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#recycleGrad}: the next backward pass writes a linear layer's weight gradient into
 * the kept array outright, giving the gradient a fresh zeroed array gets (the old values do not
 * leak in), and a weight used twice in a graph still gets both contributions.
 */
class RecycledGradTest {
    private static Tensor rand(SplittableRandom r, int... dims) {
        float[] d = new float[Shape.of(dims).size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
        return new Tensor(Shape.of(dims), d);
    }

    @Test
    void aRecycledWeightGradientEqualsAFreshOne() {
        SplittableRandom r = new SplittableRandom(3);
        for (int batch : new int[] {1, 9, 40}) {                     // the unpacked and the packed paths
            Tensor x = rand(r, batch, 70).requiresGrad(true), w = rand(r, 30, 70).requiresGrad(true), b = rand(r, 30).requiresGrad(true);
            Tensor seed = rand(r, batch, 30);
            LinearAlgebra.linearRelu(x, w, b).mul(seed).sum().backward();
            float[] first = w.grad(), want = first.clone(), wantX = x.grad().clone();
            w.recycleGrad();
            x.recycleGrad();
            assertTrue(w.gradUnset());
            LinearAlgebra.linearRelu(x, w, b).mul(seed).sum().backward();
            assertSame(first, w.grad(), "the kept array is written again");
            assertArrayEquals(want, w.grad(), 0f, "batch " + batch + ": the old gradient must not be added in");
            assertArrayEquals(wantX, x.grad(), 0f);
            w.zeroGrad();
            LinearAlgebra.linearRelu(x, w, b).mul(seed).sum().backward();
            assertNotSame(first, w.grad(), "zeroGrad leaves an array taken before alone");
            assertArrayEquals(want, first, 0f);
        }
    }

    @Test
    void aWeightUsedTwiceGetsBothContributions() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor x1 = rand(r, 16, 50), x2 = rand(r, 16, 50), w = rand(r, 20, 50).requiresGrad(true);
        Tensor s1 = rand(r, 16, 20), s2 = rand(r, 16, 20);
        LinearAlgebra.linear(x1, w, null).mul(s1).sum().backward();
        float[] g1 = w.grad().clone();
        w.zeroGrad();
        LinearAlgebra.linear(x2, w, null).mul(s2).sum().backward();
        float[] g2 = w.grad().clone();
        w.recycleGrad();
        LinearAlgebra.linear(x1, w, null).mul(s1).add(LinearAlgebra.linear(x2, w, null).mul(s2)).sum().backward();
        float[] both = w.grad();
        for (int i = 0; i < both.length; i++) assertTrue(Math.abs(both[i] - (g1[i] + g2[i])) <= 1e-5f * (1 + Math.abs(g1[i] + g2[i])), "element " + i);
    }

    @Test
    void overwritingAGradientThatHoldsValuesIsRefused() {
        Tensor w = new Tensor(Shape.of(2, 3), new float[6]).requiresGrad(true);
        w.gradBuffer()[0] = 1f;
        assertThrows(IllegalStateException.class, w::gradBufferToOverwrite);
    }
}
