package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static dev.feint.autograd.GradCheck.awayFrom;
import static dev.feint.autograd.GradCheck.check;
import static dev.feint.autograd.GradCheck.distinct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Central-difference checks of Indexing, Activations and BinaryMath, size-1 shapes included. */
class IndexingAndMathGradientTest {
    private static Tensor u(SplittableRandom r, int... dims) { return awayFrom(r, 0f, new float[0], dims); }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void indexing(int n) {
        SplittableRandom r = new SplittableRandom(n);
        check("gather", t -> Indexing.gather(t[0], 1, new int[] {2, 0, -1, 2}, new int[] {2, 2}), u(r, n, 3, 2));
        check("slice", t -> Indexing.slice(t[0], new int[] {0, 1}, new int[] {n, 5}, new int[] {1, 2}), u(r, n, 5));
        check("slice backwards", t -> Indexing.slice(t[0], new int[] {n - 1, 4}, new int[] {-1, 0}, new int[] {-1, -3}), u(r, n, 5));
        check("expand", t -> Indexing.expand(t[0], Shape.of(2, n, 3)), u(r, n, 1));
        check("pad constant", t -> Indexing.pad(t[0], new int[] {0, 1}, new int[] {1, 2}, Indexing.PadMode.CONSTANT, 0.5f), u(r, n, 3));
        check("pad reflect", t -> Indexing.pad(t[0], new int[] {0, 2}, new int[] {0, 1}, Indexing.PadMode.REFLECT, 0f), u(r, n, 3));
        check("pad edge", t -> Indexing.pad(t[0], new int[] {1, 1}, new int[] {0, 2}, Indexing.PadMode.EDGE, 0f), u(r, n, 2));
    }

    @Test
    void valuesOfSliceAndPad() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4}, 5);
        assertArrayEquals(new float[] {4, 2}, Indexing.slice(x, new int[] {4}, new int[] {0}, new int[] {-2}).data());
        assertArrayEquals(new float[] {2, 1, 0, 1, 2, 3, 4, 3}, Indexing.pad(x, new int[] {2}, new int[] {1}, Indexing.PadMode.REFLECT, 0).data());
        assertArrayEquals(new float[] {3, 4, 9}, Indexing.pad(x, new int[] {-3}, new int[] {1}, Indexing.PadMode.CONSTANT, 9).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6})
    void activations(int n) {
        SplittableRandom r = new SplittableRandom(n + 20);
        float[] zero = {0f};
        check("elu", t -> Activations.elu(t[0], 0.7f), awayFrom(r, 0.05f, zero, n, 2));
        check("selu", t -> Activations.selu(t[0], 1.67f, 1.05f), awayFrom(r, 0.05f, zero, n, 2));
        check("softplus", t -> Activations.softplus(t[0]), u(r, n, 2));
        check("hardSigmoid", t -> Activations.hardSigmoid(t[0], 0.6f, 0.5f), awayFrom(r, 0.05f, new float[] {-5f / 6, 5f / 6}, n, 2));
        Tensor wide = u(r, n, 2);
        for (int i = 0; i < wide.size(); i++) wide.data()[i] *= 2.5f;   // inside (-3, 3), away from its kinks at +-3
        check("hardSwish", t -> Activations.hardSwish(t[0]), wide);
        check("erf", t -> Activations.erf(t[0]), u(r, n, 2));
        check("gelu", t -> Activations.gelu(t[0], false), u(r, n, 2));
        check("gelu tanh", t -> Activations.gelu(t[0], true), u(r, n, 2));
        Tensor pos = u(r, n, 2);
        for (int i = 0; i < pos.size(); i++) pos.data()[i] = 1.5f + pos.data()[i] * 0.5f;
        check("reciprocal", t -> Activations.reciprocal(t[0]), 1e-3f, 2e-2f, pos);
    }

    @Test
    void erfMatchesKnownValues() {
        double[][] known = {{0, 0}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149}, {2, 0.9953222650189527},
                {2.5, 0.999593047982555}, {3.5, 0.9999992569016276}, {-1.5, -0.9661051464753108}};
        for (double[] k : known) org.junit.jupiter.api.Assertions.assertEquals(k[1], Activations.erf(k[0]), 1e-12, "erf(" + k[0] + ")");
    }

    /** Off the grid distinct() draws from, so the two operands never tie. */
    private static Tensor shifted(Tensor t) {
        for (int i = 0; i < t.size(); i++) t.data()[i] += 0.05f;
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void binaryMath(int n) {
        SplittableRandom r = new SplittableRandom(n + 30);
        Tensor base = u(r, n, 3);
        for (int i = 0; i < base.size(); i++) base.data()[i] = 1.2f + base.data()[i] * 0.5f;
        check("pow", t -> BinaryMath.pow(t[0], t[1]), 1e-3f, 2e-2f, base, u(r, 3));
        check("max", t -> BinaryMath.max(t[0], t[1]), distinct(r, n, 3), shifted(distinct(r, 1, 3)));
        check("min", t -> BinaryMath.min(t[0], t[1]), distinct(r, n, 3), shifted(distinct(r, n, 1)));
        check("prelu", t -> BinaryMath.prelu(t[0], t[1]), awayFrom(r, 0.05f, new float[] {0f}, n, 3), u(r, 3));
    }
}
