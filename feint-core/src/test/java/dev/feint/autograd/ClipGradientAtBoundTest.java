package dev.feint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The gradient of a clip and of a ReLU at an input exactly on a bound is PyTorch 1.13's on every
 * path (unfused, fused with the convolution, recorded channels-last): torch.clamp(x, 0, 6) passes
 * it where 0 <= x <= 6, the bounds included; torch.relu where x > 0. The convolutions are identity
 * maps (one tap of weight 1, no bias), so their outputs land exactly on the bounds.
 */
class ClipGradientAtBoundTest {
    /** Below, on and inside both bounds of [0, 6], per channel of a [1, 2, 2, 3] input. */
    private static final float[] X = {-1f, 0f, 0.5f, 6f, 7f, 3f, 0f, -0.25f, 6f, 6.5f, 1f, 0f};

    @Test
    void clipPassesTheGradientOnItsBoundsLikeTorchClamp() {
        float[] want = new float[X.length];
        for (int i = 0; i < X.length; i++) want[i] = X[i] >= 0f && X[i] <= 6f ? 1f : 0f;
        Tensor dense = identity(2, 2, 1), depthwise = identity(2, 1, 3);
        ConvOptions one = ConvOptions.of(1, 0, 1), dw = ConvOptions.of(1, 1, 1).withGroups(2);
        assertArrayEquals(want, gradient(x -> Unary.clamp(x, 0f, 6f), false, false), "Unary.clamp");
        for (boolean channelsLast : new boolean[] {false, true}) {
            String path = channelsLast ? " channels-last" : " row-major";
            assertArrayEquals(want, gradient(x -> Unary.clamp(Convolutions.conv2d(x, dense, null, one), 0f, 6f), channelsLast, false), "conv, clip" + path);
            assertArrayEquals(want, gradient(x -> Convolutions.conv2dClip(x, dense, null, one, 0f, 6f), channelsLast, channelsLast), "conv+clip" + path);
            assertArrayEquals(want, gradient(x -> Convolutions.conv2dClip(x, depthwise, null, dw, 0f, 6f), channelsLast, channelsLast), "depthwise+clip" + path);
        }
    }

    @Test
    void reluStopsTheGradientAtZeroLikeTorchRelu() {
        float[] want = new float[X.length];
        for (int i = 0; i < X.length; i++) want[i] = X[i] > 0f ? 1f : 0f;
        Tensor dense = identity(2, 2, 1);
        assertArrayEquals(want, gradient(Unary::relu, false, false), "Unary.relu");
        for (boolean channelsLast : new boolean[] {false, true})
            assertArrayEquals(want, gradient(x -> Convolutions.conv2dReluPool(x, dense, null, ConvOptions.of(1, 0, 1), 1), channelsLast, channelsLast),
                    "conv+relu" + (channelsLast ? " channels-last" : " row-major"));
    }

    /** Weights [c, in, k, k] mapping each channel onto itself: the centre tap 1, all else 0. */
    private static Tensor identity(int c, int in, int k) {
        float[] w = new float[c * in * k * k];
        for (int o = 0; o < c; o++) w[((o * in + (in == 1 ? 0 : o)) * k + k / 2) * k + k / 2] = 1f;
        return new Tensor(Shape.of(c, in, k, k), w);
    }

    /** d sum(f(x)) / dx at X, in a channels-last recording scope or not; {@code heldChannelsLast}: f's output must be. */
    private static float[] gradient(Function<Tensor, Tensor> f, boolean channelsLast, boolean heldChannelsLast) {
        try (var arena = Arena.open(); var scope = channelsLast ? Convolutions.channelsLastRecording() : null) {
            Tensor x = new Tensor(Shape.of(1, 2, 2, 3), X.clone()).requiresGrad(true);
            Tensor y = f.apply(x);
            if (heldChannelsLast) assertNotNull(y.channelsLastData(), "the channels-last path was taken");
            y.sum().backward();
            return x.grad().clone();
        }
    }
}
