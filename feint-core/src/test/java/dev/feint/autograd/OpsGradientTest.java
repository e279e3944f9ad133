package dev.feint.autograd;

import dev.feint.loss.Losses;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static dev.feint.autograd.GradCheck.awayFrom;
import static dev.feint.autograd.GradCheck.check;
import static dev.feint.autograd.GradCheck.distinct;

/** A central-difference check for every differentiable op, including size-1 shapes. */
class OpsGradientTest {
    private static final float[] NO_KINK = {};

    private static Tensor u(SplittableRandom r, int... dims) { return awayFrom(r, 0f, NO_KINK, dims); }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void broadcastingArithmetic(int n) {
        SplittableRandom r = new SplittableRandom(n);
        check("add", t -> t[0].add(t[1]), u(r, n, 3), u(r, 3));
        check("sub", t -> t[0].sub(t[1]), u(r, n, 1, 4), u(r, 2, 1));
        check("mul", t -> t[0].mul(t[1]), u(r, n, 3), u(r, n, 1));
        Tensor den = u(r, 1, 3);
        for (int i = 0; i < den.size(); i++) den.data()[i] = 1.5f + den.data()[i] * 0.5f;
        check("div", t -> t[0].div(t[1]), u(r, n, 3), den);
        check("scale", t -> Elementwise.scale(t[0], -2.5f), u(r, n));
        check("addScalar", t -> Elementwise.addScalar(t[0], 3f), u(r, n));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7})
    void unary(int n) {
        SplittableRandom r = new SplittableRandom(n + 10);
        float[] zero = {0f};
        check("relu", t -> Unary.relu(t[0]), awayFrom(r, 0.05f, zero, n, 8));
        check("leakyRelu", t -> Unary.leakyRelu(t[0], 0.1f), awayFrom(r, 0.05f, zero, n, 2));
        check("tanh", t -> Unary.tanh(t[0]), u(r, n, 2));
        check("sigmoid", t -> Unary.sigmoid(t[0]), u(r, n, 2));
        check("exp", t -> Unary.exp(t[0]), u(r, n, 2));
        Tensor pos = u(r, n, 2);
        for (int i = 0; i < pos.size(); i++) pos.data()[i] = 1.2f + pos.data()[i];
        check("log", t -> Unary.log(t[0]), 1e-3f, 2e-2f, pos.copy());
        check("sqrt", t -> Unary.sqrt(t[0]), 1e-3f, 2e-2f, pos.copy());
        check("pow", t -> Unary.pow(t[0], 3f), pos.copy());
        check("abs", t -> Unary.abs(t[0]), awayFrom(r, 0.05f, zero, n, 2));
        check("clamp", t -> Unary.clamp(t[0], -0.5f, 0.5f), awayFrom(r, 0.05f, new float[] {-0.5f, 0.5f}, n, 3));
    }

    @Test
    void signHasZeroGradientButIsDefined() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f}, 3).requiresGrad(true);
        Tensor y = Unary.sign(x);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-1f, 0f, 1f}, y.data());
        y.sum().backward();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0f, 0f, 0f}, x.grad());
    }

    @Test
    void where() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        check("where", t -> Elementwise.where(mask, t[0], t[1]), u(r, 2, 3), u(r, 2, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void reductions(int n) {
        SplittableRandom r = new SplittableRandom(n + 20);
        check("sumAll", t -> t[0].sum(), u(r, n, 4));
        check("meanAll", t -> t[0].mean(), u(r, n, 4));
        check("sum axis0", t -> Reductions.sum(t[0], 0, false), u(r, n, 4));
        check("sum axis1 keep", t -> Reductions.sum(t[0], 1, true), u(r, n, 4, 2));
        check("mean axis-1", t -> Reductions.mean(t[0], -1, false), u(r, n, 4));
        check("max axis1", t -> Reductions.max(t[0], 1, false), distinct(r, n, 5, 2));
        check("max axis0 keep", t -> Reductions.max(t[0], 0, true), distinct(r, n, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void shapes(int n) {
        SplittableRandom r = new SplittableRandom(n + 30);
        check("reshape", t -> Shapes.reshape(t[0], -1, 2), u(r, n, 2, 2));
        check("flatten", t -> Shapes.flatten(t[0]), u(r, n, 2, 3));
        check("transpose", t -> Shapes.transpose(t[0]), u(r, n, 3));
        check("permute", t -> Shapes.permute(t[0], 2, 0, 1), u(r, n, 2, 3));
        check("concat", t -> Shapes.concat(1, t[0], t[1]), u(r, n, 2), u(r, n, 3));
        check("slice", t -> Shapes.slice(t[0], 1, 1, 3), u(r, n, 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void linearAlgebra(int n) {
        SplittableRandom r = new SplittableRandom(n + 40);
        check("matmul", t -> t[0].matmul(t[1]), u(r, n, 3), u(r, 3, 2));
        check("linear", t -> LinearAlgebra.linear(t[0], t[1], t[2]), u(r, n, 4), u(r, 3, 4), u(r, 3));
        check("linear no bias", t -> LinearAlgebra.linear(t[0], t[1], null), u(r, n, 1), u(r, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void convolution(int n) {
        SplittableRandom r = new SplittableRandom(n + 50);
        check("conv2d pad1", t -> Convolutions.conv2d(t[0], t[1], t[2], 1, 1, 1), u(r, n, 2, 5, 4), u(r, 3, 2, 3, 3), u(r, 3));
        check("conv2d stride2", t -> Convolutions.conv2d(t[0], t[1], null, 2, 0, 1), u(r, n, 1, 5, 5), u(r, 2, 1, 2, 2));
        check("conv2d dilation2", t -> Convolutions.conv2d(t[0], t[1], t[2], 1, 2, 2), u(r, n, 1, 4, 4), u(r, 1, 1, 3, 3), u(r, 1));
        check("conv2d 1x1 size-1", t -> Convolutions.conv2d(t[0], t[1], t[2], 1, 0, 1), u(r, n, 1, 1, 1), u(r, 1, 1, 1, 1), u(r, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void pooling(int n) {
        SplittableRandom r = new SplittableRandom(n + 60);
        check("maxPool2d", t -> Pooling.maxPool2d(t[0], 2, 2, 0), distinct(r, n, 2, 4, 4));
        check("maxPool2d overlap pad", t -> Pooling.maxPool2d(t[0], 3, 1, 1), distinct(r, n, 1, 3, 3));
        check("avgPool2d", t -> Pooling.avgPool2d(t[0], 2, 2, 0), u(r, n, 2, 4, 4));
        check("avgPool2d pad", t -> Pooling.avgPool2d(t[0], 3, 2, 1), u(r, n, 1, 5, 5));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void softmaxFamily(int rows) {
        SplittableRandom r = new SplittableRandom(rows + 70);
        check("softmax", t -> Softmax.softmax(t[0]), u(r, rows, 5));
        check("logSoftmax", t -> Softmax.logSoftmax(t[0]), u(r, rows, 2));
    }

    @Test
    void losses() {
        SplittableRandom r = new SplittableRandom(80);
        int[] y = {2, 0, 1};
        check("crossEntropy", t -> Losses.crossEntropy(t[0], y), u(r, 3, 4));
        check("crossEntropyPerExample", t -> Losses.crossEntropyPerExample(t[0], y), u(r, 3, 4));
        check("nll", t -> Losses.nll(t[0], y), u(r, 3, 4));
        check("mse", t -> Losses.mse(t[0], t[1]), u(r, 3, 2), u(r, 3, 2));
        check("margin", t -> Losses.marginPerExample(t[0], y), distinct(r, 3, 4));
        check("crossEntropy size-1 batch", t -> Losses.crossEntropy(t[0], new int[] {1}), u(r, 1, 2));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void batchNorm(boolean training) {
        SplittableRandom r = new SplittableRandom(90);
        float[] rm = {0.1f, -0.2f}, rv = {1.5f, 0.5f};
        check("batchNorm2d", t -> Normalization.batchNorm(t[0], t[1], t[2], rm.clone(), rv.clone(), training, 0.1f, 1e-5f),
                u(r, 3, 2, 2, 2), u(r, 2), u(r, 2));
        check("batchNorm1d", t -> Normalization.batchNorm(t[0], t[1], t[2], rm.clone(), rv.clone(), training, 0.1f, 1e-5f),
                u(r, 4, 2), u(r, 2), u(r, 2));
    }

    /** BN + ReLU as one op, against central differences (a small step: the ReLU's kink is then rarely straddled), size-1 maps too. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void batchNormRelu(boolean training) {
        SplittableRandom r = new SplittableRandom(92);
        float[] rm = {0.1f, -0.2f, 0.3f}, rv = {1.5f, 0.5f, 0.8f};
        check("batchNormRelu2d", t -> Normalization.batchNormRelu(t[0], t[1], t[2], rm.clone(), rv.clone(), training, 0.1f, 1e-5f),
                2e-3f, 2e-2f, u(r, 3, 3, 2, 3), u(r, 3), u(r, 3));
        check("batchNormRelu 1x1 maps", t -> Normalization.batchNormRelu(t[0], t[1], t[2], rm.clone(), rv.clone(), training, 0.1f, 1e-5f),
                2e-3f, 2e-2f, u(r, 4, 3, 1, 1), u(r, 3), u(r, 3));
        if (!training)
            check("batchNormRelu one value per channel", t -> Normalization.batchNormRelu(t[0], t[1], t[2], rm.clone(), rv.clone(), false, 0.1f, 1e-5f),
                    2e-3f, 2e-2f, u(r, 1, 3, 1, 1), u(r, 3), u(r, 3));
    }

    @Test
    void dropoutMask() {
        SplittableRandom r = new SplittableRandom(91);
        float[] mask = {0f, 2f, 2f, 0f, 2f, 2f};
        check("dropout", t -> Normalization.dropout(t[0], mask), u(r, 2, 3));
    }
}
