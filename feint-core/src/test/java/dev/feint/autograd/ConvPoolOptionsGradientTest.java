package dev.feint.autograd;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static dev.feint.autograd.GradCheck.awayFrom;
import static dev.feint.autograd.GradCheck.check;
import static dev.feint.autograd.GradCheck.distinct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central-difference checks of {@link Convolutions#conv2d(Tensor, Tensor, Tensor, ConvOptions)}
 * (groups, depthwise, asymmetric pads, non-square strides and dilations) and of the
 * {@link PoolOptions} poolings, size-1 shapes included, plus hand-computed ONNX pooling values.
 */
class ConvPoolOptionsGradientTest {
    private final int savedThreads = Parallel.threads();

    /** One thread: thousands of tiny forwards, each a hand-off to the workers otherwise (slow on a shared machine). */
    @BeforeEach
    void oneThread() { Parallel.setThreads(1); }

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    private static Tensor u(SplittableRandom r, int... dims) { return awayFrom(r, 0f, new float[0], dims); }

    private static ConvOptions opts(int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw, int groups) {
        return new ConvOptions(sh, sw, pt, pl, pb, pr, dh, dw, groups);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void groupedAndDepthwiseConvolution(int n) {
        SplittableRandom r = new SplittableRandom(n + 70);
        check("conv2d groups 2 asym pads", t -> Convolutions.conv2d(t[0], t[1], t[2], opts(1, 2, 1, 0, 2, 1, 1, 1, 2)),
                u(r, n, 4, 5, 6), u(r, 4, 2, 3, 2), u(r, 4));
        check("conv2d depthwise 3x3 stride 2", t -> Convolutions.conv2d(t[0], t[1], t[2], opts(2, 2, 1, 1, 1, 1, 1, 1, 3)),
                u(r, n, 3, 5, 5), u(r, 3, 1, 3, 3), u(r, 3));
        check("conv2d depthwise multiplier 2, stride (2,1), dilation 2", t -> Convolutions.conv2d(t[0], t[1], null,
                opts(2, 1, 2, 1, 0, 2, 2, 1, 2)), u(r, n, 2, 6, 4), u(r, 4, 1, 2, 3));
        check("conv2d depthwise size-1", t -> Convolutions.conv2d(t[0], t[1], t[2], opts(1, 1, 0, 0, 0, 0, 1, 1, 2)),
                u(r, n, 2, 1, 1), u(r, 2, 1, 1, 1), u(r, 2));
        check("conv2d one group, asymmetric everything", t -> Convolutions.conv2d(t[0], t[1], t[2], opts(2, 1, 0, 2, 1, 0, 1, 2, 1)),
                u(r, n, 2, 5, 4), u(r, 3, 2, 2, 2), u(r, 3));
    }

    @Test
    void legacyConvolutionIsTheSymmetricCase() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = u(r, 2, 3, 6, 5), w = u(r, 4, 3, 3, 3), b = u(r, 4);
        assertArrayEquals(Convolutions.conv2d(x, w, b, 2, 1, 1).data(), Convolutions.conv2d(x, w, b, ConvOptions.of(2, 1, 1)).data());
    }

    /** The fused conv + ReLU + max-pool with any options: the three ops' values and gradients (one group fused, two composed). */
    @Test
    void fusedConvReluPoolTakesAnyOptions() {
        for (int groups : new int[] {1, 2}) {
            SplittableRandom r = new SplittableRandom(groups);
            ConvOptions o = opts(1, 2, 2, 0, 1, 1, 1, 2, groups);
            Tensor x = u(r, 2, 4, 5, 7), w = u(r, 4, 4 / groups, 2, 3), b = u(r, 4);
            Tensor fused = Convolutions.conv2dReluPool(x, w, b, o, 2);
            Tensor plain = Pooling.maxPool2d(Unary.relu(Convolutions.conv2d(x, w, b, o)), PoolOptions.of(2, 2, 0));
            assertArrayEquals(plain.data(), fused.data(), 1e-6f, "groups " + groups);
            check("conv2dReluPool options groups " + groups, t -> Convolutions.conv2dReluPool(t[0], t[1], t[2], o, 2), x, w, b);
        }
    }

    @Test
    void badConvolutionArgumentsAreNamed() {
        SplittableRandom r = new SplittableRandom(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Convolutions.conv2d(u(r, 1, 4, 5, 5), u(r, 4, 1, 3, 3), null, ConvOptions.of(1, 1, 1).withGroups(2)));
        assertTrue(e.getMessage().contains("2 group(s)") && e.getMessage().contains("[4, 1, 3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConvOptions(1, 0, 0, 0, 0, 0, 1, 1, 1));
        assertTrue(e.getMessage().contains("strideW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Convolutions.conv2d(u(r, 1, 2, 5, 5), u(r, 4, 2, 3, 3), u(r, 3), ConvOptions.of(1, 1, 1)));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void poolingWithOptions(int n) {
        SplittableRandom r = new SplittableRandom(n + 80);
        PoolOptions ceil = new PoolOptions(3, 2, 2, 2, 1, 0, 0, 1, 1, 1, true, false);
        check("maxPool ceil asym", t -> Pooling.maxPool2d(t[0], ceil), distinct(r, n, 2, 6, 5));
        check("maxPool dilation 2 stride (1,2)", t -> Pooling.maxPool2d(t[0], new PoolOptions(2, 2, 1, 2, 1, 1, 1, 1, 2, 2, false, false)),
                distinct(r, n, 1, 5, 6));
        check("avgPool ceil exclude pad", t -> Pooling.avgPool2d(t[0], ceil), u(r, n, 2, 6, 5));
        check("avgPool ceil include pad", t -> Pooling.avgPool2d(t[0], new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, true)),
                u(r, n, 1, 6, 6));
        check("globalAvgPool", t -> Pooling.globalAvgPool(t[0]), u(r, n, 3, 4, 5));
        check("globalMaxPool", t -> Pooling.globalMaxPool(t[0]), distinct(r, n, 3, 4, 5));
        check("globalAvgPool size-1", t -> Pooling.globalAvgPool(t[0]), u(r, n, 1, 1, 1));
    }

    /** Values worked by hand from ONNX's definitions. */
    @Test
    void onnxPoolingSemantics() {
        // 1 x 1 x 4 x 4 holding 1..16; 3x3 windows, stride 2, ceil mode: output 2x2 (the window at
        // row 2 starts inside), pads 0. AveragePool exclude-pad: the last windows are cut by the edge.
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i + 1;
        Tensor x = new Tensor(dev.feint.tensor.Shape.of(1, 1, 4, 4), v);
        PoolOptions ceil = new PoolOptions(3, 3, 2, 2, 0, 0, 0, 0, 1, 1, true, false);
        assertArrayEquals(new float[] {11, 12, 15, 16}, Pooling.maxPool2d(x, ceil).data());
        assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f}, Pooling.avgPool2d(x, ceil).data());
        // Ceil mode with pads 1: (4 + 2 - 3) / 2 rounded up + 1 = 3, and the third window starts at
        // row 3 (inside): kept. With pads (top 0, bottom 1): 3 also, its start 4 == h + top: dropped -> 2.
        assertEquals(3, Pooling.maxPool2d(x, new PoolOptions(3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, false)).dim(2));
        assertEquals(2, Pooling.maxPool2d(x, new PoolOptions(2, 2, 2, 2, 0, 0, 1, 1, 1, 1, true, false)).dim(2));
        // count_include_pad with pads 1, 3x3 stride 3: corner window covers 4 pixels (1, 2, 5, 6) of 9 padded taps.
        PoolOptions inc = new PoolOptions(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, false, true);
        assertEquals(14f / 9f, Pooling.avgPool2d(x, inc).data()[0], 1e-6f);
        PoolOptions exc = new PoolOptions(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, false, false);
        assertEquals(14f / 4f, Pooling.avgPool2d(x, exc).data()[0], 1e-6f);
        // Bottom/right padding counts in the divisor; a ceil-mode window's overhang past the padding never does.
        assertEquals(6f, Pooling.avgPool2d(x, new PoolOptions(3, 3, 2, 2, 0, 0, 1, 1, 1, 1, false, true)).data()[3], 1e-6f);
        assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f},
                Pooling.avgPool2d(x, new PoolOptions(3, 3, 2, 2, 0, 0, 0, 0, 1, 1, true, true)).data());
        Tensor g = Pooling.globalMaxPool(x);
        assertArrayEquals(new int[] {1, 1, 1, 1}, g.shape().dims());
        assertEquals(16f, g.data()[0]);
        assertEquals(8.5f, Pooling.globalAvgPool(x).data()[0], 1e-6f);
    }
}
