package dev.feint.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Arena;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recorded convolutions over weights that need no gradient keep their activations (and the
 * gradients coming back) channels-last, through max-pooling, ReLU / clip and residual adds
 * ({@link Convolutions#channelsLastRecording}). Two small networks that take every kernel of
 * that path (stem on GEMM + col2im, stride-1 transposed convolution, strided phases, depthwise
 * with multiplier 1 and 2, a grouped convolution on the row-major path, 1x1s, few-channel
 * convolutions reading channels-last input, row-major ops reading a channels-last activation whose
 * gradients are merged back) are checked against the row-major path; each kernel by central
 * differences on its own.
 */
class ChannelsLastRecordingTest {
    /** Outside a scope nothing changes: a recorded convolution's output is row-major. */
    @Test
    void outsideAScopeTheRecordedPathIsRowMajor() {
        SplittableRandom r = new SplittableRandom(23);
        Tensor x = Tensor.uniform(r, -1f, 1f, 1, 16, 5, 5).requiresGrad(true), w = weight(r, 16, 16, 3, 3);
        assertEquals(null, Convolutions.conv2d(x, w, null, 1, 1, 1).channelsLastData());
        try (var scope = Convolutions.channelsLastRecording()) {
            assertNotNull(Convolutions.conv2d(x, w, null, 1, 1, 1).channelsLastData());
            Convolutions.setChannelsLastRecording(false);
            assertEquals(null, Convolutions.conv2d(x, w, null, 1, 1, 1).channelsLastData(), "switched off");
        } finally {
            Convolutions.setChannelsLastRecording(true);
        }
    }

    private static Tensor weight(SplittableRandom r, int... dims) {
        int fan = dims[1] * dims[2] * dims[3];
        return Tensor.normal(r, (float) Math.sqrt(2.0 / fan), dims);
    }

    private static Tensor bias(SplittableRandom r, int o) { return Tensor.uniform(r, -0.1f, 0.1f, o); }

    /** A ResNet-like chain: 5x5/2 stem + ReLU, 3x3/2 max-pool, residual blocks with a strided 1x1 shortcut. */
    private static Function<Tensor[], Tensor> resnetLike() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor w0 = weight(r, 16, 3, 5, 5), b0 = bias(r, 16), w1 = weight(r, 16, 16, 3, 3), b1 = bias(r, 16);
        Tensor w2 = weight(r, 16, 16, 3, 3), w3 = weight(r, 24, 16, 3, 3), b3 = bias(r, 24), w4 = weight(r, 24, 16, 1, 1);
        Tensor w5 = weight(r, 8, 24, 3, 3), w6 = weight(r, 4, 8, 3, 3);
        return in -> {
            Tensor x = Convolutions.conv2dReluPool(in[0], w0, b0, new ConvOptions(2, 2, 2, 1, 2, 2, 1, 1, 1), 1);
            Tensor p = Pooling.maxPool2d(x, PoolOptions.of(3, 2, 1));
            Tensor y = Convolutions.conv2dReluPool(p, w1, b1, 1, 1, 1, 1);
            y = Unary.addRelu(Convolutions.conv2d(y, w2, null, 1, 1, 1), p);
            Tensor z = Convolutions.conv2dReluPool(y, w3, b3, 2, 1, 1, 1);             // strided phases
            z = Unary.addRelu(z, Convolutions.conv2d(y, w4, null, 2, 0, 1));            // strided 1x1 shortcut
            Tensor u = Convolutions.conv2d(z, w5, null, 1, 1, 1);                        // 8 channels out
            Tensor v = Convolutions.conv2d(u, w6, null, 1, 1, 1);                        // 8 channels in: col2im into channels-last
            // Row-major readers of channels-last activations: their gradients are merged back.
            return Elementwise.add(Unary.tanh(v).reshape(v.dim(0), -1), Elementwise.mul(u, u).mean().reshape(1, 1));
        };
    }

    /** A MobileNet-like chain: 1x1, 3x3/2 stem + clip, depthwise (stride 1 and 2, multiplier 2), 1x1s, a residual sub, a grouped conv. */
    private static Function<Tensor[], Tensor> mobilenetLike() {
        SplittableRandom r = new SplittableRandom(12);
        Tensor w0 = weight(r, 16, 3, 3, 3), b0 = bias(r, 16), d1 = weight(r, 16, 1, 3, 3), bd1 = bias(r, 16);
        Tensor w2 = weight(r, 16, 16, 1, 1), b2 = bias(r, 16), d3 = weight(r, 32, 1, 3, 3), w4 = weight(r, 24, 32, 1, 1);
        Tensor g5 = weight(r, 24, 12, 3, 3), w6 = weight(r, 5, 24, 1, 1), p0 = weight(r, 3, 3, 1, 1);
        return in -> {
            Tensor a = Convolutions.conv2d(in[0], p0, null, ConvOptions.of(1, 0, 1));       // 1x1 on NCHW input: W^T gz^T into gradX
            Tensor x = Convolutions.conv2dClip(a, w0, b0, ConvOptions.of(2, 1, 1), 0f, 6f);  // 3 channels read channels-last
            Tensor y = Convolutions.conv2dClip(x, d1, bd1, ConvOptions.of(1, 1, 1).withGroups(16), 0f, 6f);
            y = Elementwise.sub(Convolutions.conv2d(y, w2, b2, ConvOptions.of(1, 0, 1)), x);   // residual join (a sub: its sign too)
            Tensor z = Convolutions.conv2dClip(y, d3, null, ConvOptions.of(2, 1, 1).withGroups(16), 0f, 6f);
            z = Convolutions.conv2d(z, w4, null, ConvOptions.of(1, 0, 1));
            z = Convolutions.conv2dReluPool(z, g5, null, ConvOptions.of(1, 1, 1).withGroups(2), 1);  // grouped, NCHW copies
            return Convolutions.conv2d(z, w6, null, ConvOptions.of(1, 0, 1)).reshape(z.dim(0), -1);
        };
    }

    @Test
    void resnetLikeMatchesTheRowMajorPath() {
        check("resnet-like", resnetLike(), 2, 3, 13, 13);
        check("resnet-like batch 1", resnetLike(), 1, 3, 9, 9);
    }

    @Test
    void mobilenetLikeMatchesTheRowMajorPath() {
        check("mobilenet-like", mobilenetLike(), 2, 3, 12, 12);
        check("mobilenet-like batch 1", mobilenetLike(), 1, 3, 8, 8);
    }

    private static void check(String what, Function<Tensor[], Tensor> f, int... dims) {
        Tensor x = Tensor.uniform(new SplittableRandom(dims[0] * 31 + dims[2]), -1f, 1f, dims);
        float[][] rowMajor = pass(f, x, false, false), channelsLast = pass(f, x, true, false), frozen = pass(f, x, true, true);
        for (float[][] got : new float[][][] {channelsLast, frozen})
            for (int k = 0; k < 2; k++) {
                float scale = 0;
                for (float v : rowMajor[k]) scale = Math.max(scale, Math.abs(v));
                assertTrue(scale > 0, what + ": all zero");
                for (int i = 0; i < got[k].length; i++)
                    assertEquals(rowMajor[k][i], got[k][i], 1e-5f * scale, what + (k == 0 ? " output " : " input gradient ") + i);
            }
    }

    /**
     * Every convolution kernel of the path and the residual add / sub, without activations (no
     * kinks, so central differences hold everywhere): stem on GEMM + col2im from NCHW, 1x1 on NCHW
     * input, few channels read channels-last, stride-1 transposed convolution, strided phases,
     * depthwise with multiplier 1 and 2 at stride 1 and 2.
     */
    @Test
    void everyConvolutionKernelPassesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(21);
        Tensor p0 = weight(r, 3, 3, 1, 1), w0 = weight(r, 16, 3, 5, 5), w1 = weight(r, 16, 16, 3, 3), b1 = bias(r, 16);
        Tensor d2 = weight(r, 16, 1, 3, 3), d3 = weight(r, 32, 1, 3, 3), w4 = weight(r, 16, 32, 3, 3), w5 = weight(r, 8, 16, 1, 1);
        Tensor w6 = weight(r, 4, 8, 3, 3);
        Function<Tensor[], Tensor> f = in -> {
            Tensor a = Convolutions.conv2d(in[0], p0, null, ConvOptions.of(1, 0, 1));
            Tensor x = Convolutions.conv2d(a, w0, null, new ConvOptions(2, 2, 2, 1, 2, 2, 1, 1, 1));
            Tensor y = Elementwise.add(Convolutions.conv2d(x, w1, b1, 1, 1, 1), x);
            y = Elementwise.sub(Convolutions.conv2d(y, d2, null, ConvOptions.of(1, 1, 1).withGroups(16)), y);
            Tensor z = Convolutions.conv2d(y, d3, null, ConvOptions.of(2, 1, 1).withGroups(16));
            z = Convolutions.conv2d(z, w4, null, 2, 1, 1);
            return Convolutions.conv2d(Convolutions.conv2d(z, w5, null, 1, 0, 1), w6, null, 1, 1, 1).reshape(z.dim(0), -1);
        };
        GradCheck.check("convolutions, batch 2", inScope(f), 1e-2f, 1e-2f, Tensor.uniform(r, -1f, 1f, 2, 3, 11, 11));
        GradCheck.check("convolutions, batch 1", inScope(f), 1e-2f, 1e-2f, Tensor.uniform(r, -1f, 1f, 1, 3, 7, 7));
    }

    /** Max-pool, ReLU / clip after a convolution and add + ReLU on channels-last leaves (values kept off the kinks). */
    @Test
    void poolingActivationsAndResidualReluPassCentralDifferences() {
        SplittableRandom r = new SplittableRandom(22);
        GradCheck.check("max-pool 3x3/2 pad 1", in -> Pooling.maxPool2d(in[0], PoolOptions.of(3, 2, 1)), channelsLast(GradCheck.distinct(r, 2, 19, 7, 6)));
        GradCheck.check("add + relu", in -> Unary.addRelu(in[0], in[1]),
                channelsLast(GradCheck.awayFrom(r, 0.1f, new float[] {0f}, 2, 18, 3, 5)), channelsLast(Tensor.full(0.05f, 2, 18, 3, 5)));
        Tensor w = weight(r, 16, 18, 3, 3), b = bias(r, 16);
        GradCheck.check("conv + relu", inScope(in -> Convolutions.conv2dReluPool(in[0], w, b, 1, 1, 1, 1)), channelsLast(Tensor.uniform(r, -1f, 1f, 1, 18, 4, 4)));
        GradCheck.check("conv + clip", inScope(in -> Convolutions.conv2dClip(in[0], w, b, ConvOptions.of(1, 1, 1), -1.2f, 1.5f)),
                channelsLast(Tensor.uniform(r, -1f, 1f, 1, 18, 4, 4)));
    }

    /** f with its recorded convolutions in a {@link Convolutions#channelsLastRecording} scope. */
    private static Function<Tensor[], Tensor> inScope(Function<Tensor[], Tensor> f) {
        return in -> {
            try (var scope = Convolutions.channelsLastRecording()) {
                return f.apply(in);
            }
        };
    }

    /** A leaf holding t's values channels-last (as a channels-last op's output). */
    private static Tensor channelsLast(Tensor t) {
        int n = t.dim(0), c = t.dim(1), hw = t.dim(2) * t.dim(3);
        float[] d = new float[t.size()], x = t.data();
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++) d[(i * hw + p) * c + ch] = x[(i * c + ch) * hw + p];
        return Tensor.channelsLast(t.shape(), d);
    }

    /** {output, input gradient} of sum(f(x) * r) on one path, in an arena (as an attack's pass). */
    private static float[][] pass(Function<Tensor[], Tensor> f, Tensor x, boolean channelsLast, boolean frozenWeights) {
        try (var arena = Arena.open(); FrozenWeights fw = frozenWeights ? FrozenWeights.open() : null;
             var scope = channelsLast ? Convolutions.channelsLastRecording() : null) {
            Tensor leaf = x.copy().requiresGrad(true);
            Tensor out = f.apply(new Tensor[] {leaf});
            SplittableRandom r = new SplittableRandom(5);
            Tensor weights = Tensor.uniform(r, -1f, 1f, out.dims());
            out.mul(weights).sum().backward();
            assertNotNull(leaf.grad());
            return new float[][] {out.data().clone(), leaf.grad().clone()};
        }
    }
}
