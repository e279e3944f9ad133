package dev.feint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Eval-mode BatchNorm (and BN + ReLU) on a channels-last inference activation: it stays channels-last
 * and holds the bits the row-major path computes; recorded or training-mode calls take the row-major path.
 */
class ChannelsLastBatchNormTest {
    /** [n, c, h, w]: one value, ragged channel vectors, a 1x1 map, a ResNet-like block. */
    private static final int[][] SHAPES = {{1, 1, 1, 1}, {2, 17, 3, 5}, {3, 40, 1, 1}, {2, 64, 8, 8}, {1, 5, 7, 2}};

    @Test
    void channelsLastInputGivesTheRowMajorBitsAndStaysChannelsLast() {
        Random r = new Random(11);
        for (int[] d : SHAPES)
            for (boolean relu : new boolean[] {false, true}) {
                Shape shape = Shape.of(d[0], d[1], d[2], d[3]);
                int c = d[1], len = shape.size();
                float[] nchw = new float[len], mean = new float[c], var = new float[c];
                for (int i = 0; i < len; i++) nchw[i] = (float) r.nextGaussian();
                Tensor gamma = Tensor.zeros(c), beta = Tensor.zeros(c);
                for (int ch = 0; ch < c; ch++) {
                    gamma.data()[ch] = (float) r.nextGaussian();
                    beta.data()[ch] = (float) r.nextGaussian();
                    mean[ch] = (float) r.nextGaussian();
                    var[ch] = 0.1f + r.nextFloat();
                }
                float[] nhwc = new float[len];
                int hw = d[2] * d[3];
                for (int i = 0; i < d[0]; i++)
                    for (int ch = 0; ch < c; ch++)
                        for (int p = 0; p < hw; p++) nhwc[(i * hw + p) * c + ch] = nchw[(i * c + ch) * hw + p];
                try (var g = Grad.noGrad()) {
                    Tensor want = bn(new Tensor(shape, nchw), gamma, beta, mean, var, relu);
                    Tensor got = bn(Tensor.channelsLast(shape, nhwc), gamma, beta, mean, var, relu);
                    assertNotNull(got.channelsLastData(), "stays channels-last");
                    assertArrayEquals(want.data(), got.data(), java.util.Arrays.toString(d) + " relu " + relu);
                }
            }
    }

    @Test
    void recordedCallsReadTheRowMajorData() {
        Shape shape = Shape.of(2, 3, 2, 2);
        float[] nhwc = new float[shape.size()];
        for (int i = 0; i < nhwc.length; i++) nhwc[i] = i - 10;
        Tensor gamma = Tensor.full(1f, 3).requiresGrad(true), beta = Tensor.zeros(3);
        Tensor y = bn(Tensor.channelsLast(shape, nhwc), gamma, beta, new float[3], new float[] {1, 1, 1}, true);
        assertNull(y.channelsLastData(), "a recorded call's output is row-major");
    }

    private static Tensor bn(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] var, boolean relu) {
        return relu ? Normalization.batchNormRelu(x, gamma, beta, mean, var, false, 0.1f, 1e-5f)
                : Normalization.batchNorm(x, gamma, beta, mean, var, false, 0.1f, 1e-5f);
    }
}
