package dev.feint.autograd;

import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.ConvReference;
import dev.feint.tensor.kernels.Layouts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused inverted-residual block gives the separate layers' bits (1x1 + ReLU6, depthwise 3x3 +
 * ReLU6, 1x1, Add) on one and two threads (a lone image split into bands of rows, by channels, or
 * not at all), strides 1 and 2,
 * with and without the expansion and the residual, odd maps, channel counts off the vector and
 * tile widths; and the values of a scalar NCHW convolution, so a fault shared by both paths shows.
 */
class InvertedResidualTest {
    private static final ConvOptions POINTWISE = ConvOptions.of(1, 0, 1);

    @ParameterizedTest
    @CsvSource({
            // batch, c, ce (0: no expansion), co, h, w, stride, residual
            "2, 16, 96, 16, 9, 7, 1, true",
            "1, 24, 144, 24, 10, 10, 1, true",
            "3, 16, 96, 24, 9, 7, 2, false",
            "1, 16, 48, 5, 16, 16, 2, false",
            "1, 16, 48, 16, 17, 9, 1, true",
            "5, 32, 0, 16, 7, 7, 1, false",
            "1, 32, 0, 16, 12, 12, 1, false",
            "2, 8, 32, 8, 1, 1, 1, true",
            "1, 160, 960, 160, 2, 2, 1, true",
            // a lone image split by channels (small maps, FusedInvertedResidual.MIN_SPLIT_WORK or more)
            "1, 160, 960, 320, 1, 1, 1, false",
            "1, 96, 576, 160, 2, 2, 2, false",
            "1, 96, 576, 96, 3, 3, 1, true",
            "1, 64, 336, 37, 3, 3, 1, false",
            "1, 512, 0, 40, 4, 4, 1, false",
            // ... and into bands, without an expansion
            "1, 64, 0, 64, 12, 12, 1, false",
            "64, 24, 144, 32, 8, 8, 2, false",
            "64, 16, 384, 24, 2, 2, 1, false"})
    void fusedBlockGivesTheSeparateLayersBits(int n, int c, int ce, int co, int h, int w, int stride, boolean residual) {
        SplittableRandom r = new SplittableRandom(31L * n + c + ce + h);
        int mid = ce == 0 ? c : ce;
        InvertedResidual.Stage e = ce == 0 ? null
                : new InvertedResidual.Stage(Tensor.uniform(r, -0.6f, 0.6f, ce, c, 1, 1), Tensor.uniform(r, -1f, 1f, ce), POINTWISE, 0f, 6f);
        InvertedResidual.Stage d = new InvertedResidual.Stage(Tensor.uniform(r, -1f, 1f, mid, 1, 3, 3), Tensor.uniform(r, -1f, 1f, mid),
                new ConvOptions(stride, stride, 1, 1, 1, 1, 1, 1, mid), 0f, 6f);
        InvertedResidual.Stage p = new InvertedResidual.Stage(Tensor.uniform(r, -0.5f, 0.5f, co, mid, 1, 1), Tensor.uniform(r, -1f, 1f, co),
                POINTWISE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        float[] nhwc = new float[n * h * w * c];
        for (int i = 0; i < nhwc.length; i++) nhwc[i] = (float) (r.nextDouble() * 4 - 2);
        float[] nchw = Layouts.toNchw(nhwc, n, c, h, w);
        float[] want = reference(nchw, n, c, h, w, e, d, p, residual);
        int saved = Parallel.threads();
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                Tensor fused = onFreshThread(() -> InvertedResidual.inference(channelsLast(nhwc, n, c, h, w), e, d, p, residual));
                assertNotNull(fused, "the fused kernel takes this block");
                float[] got = fused.data();
                assertArrayEquals(layers(channelsLast(nhwc, n, c, h, w), e, d, p, residual), got, threads + " thread(s): the separate layers' bits");
                assertEquals(want.length, got.length);
                float scale = 0;
                for (float v : want) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < want.length; i++)
                    assertTrue(Math.abs(got[i] - want[i]) <= 1e-5f * scale, "element " + i + ": " + got[i] + " vs scalar reference " + want[i]);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @ParameterizedTest
    @CsvSource({"2, true", "1, false"})
    void recordedOrPlanarInputsAreLeftToTheLayers(int n, boolean record) {
        SplittableRandom r = new SplittableRandom(4);
        InvertedResidual.Stage e = new InvertedResidual.Stage(Tensor.uniform(r, -1f, 1f, 32, 16, 1, 1), null, POINTWISE, 0f, 6f);
        InvertedResidual.Stage d = new InvertedResidual.Stage(Tensor.uniform(r, -1f, 1f, 32, 1, 3, 3), null, new ConvOptions(1, 1, 1, 1, 1, 1, 1, 1, 32), 0f, 6f);
        InvertedResidual.Stage p = new InvertedResidual.Stage(Tensor.uniform(r, -1f, 1f, 16, 32, 1, 1), null, POINTWISE,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        Tensor x = record ? channelsLast(new float[n * 16 * 8 * 8], n, 16, 8, 8).requiresGrad(true) : Tensor.uniform(r, -1f, 1f, n, 16, 8, 8);
        assertNull(InvertedResidual.inference(x, e, d, p, true), record ? "a recorded call" : "an NCHW input");
    }

    /**
     * body's result, computed on a new thread (inside its own inference scope): the kernel's
     * per-thread buffers then hold nothing of an earlier call, so an element it fails to write
     * shows instead of keeping the value the same block wrote there before.
     */
    private static Tensor onFreshThread(java.util.function.Supplier<Tensor> body) {
        Tensor[] out = new Tensor[1];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
                out[0] = body.get();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failed[0] != null) throw new AssertionError("the fused block failed", failed[0]);
        return out[0];
    }

    private static Tensor channelsLast(float[] nhwc, int n, int c, int h, int w) {
        return Tensor.channelsLast(Shape.of(n, c, h, w), nhwc.clone());
    }

    /** The block as the unfused graph runs it: the inference forwards of each layer, then the Add. */
    private static float[] layers(Tensor x, InvertedResidual.Stage e, InvertedResidual.Stage d, InvertedResidual.Stage p, boolean residual) {
        Tensor t = x;
        if (e != null) t = Convolutions.conv2dClip(t, e.w(), e.bias(), e.options(), e.lo(), e.hi());
        t = Convolutions.conv2dClip(t, d.w(), d.bias(), d.options(), d.lo(), d.hi());
        t = Convolutions.conv2d(t, p.w(), p.bias(), p.options());
        if (residual) t = Elementwise.add(t, x);
        return t.data();
    }

    /** The block by the scalar NCHW convolution, clamps as loops. */
    private static float[] reference(float[] x, int n, int c, int h, int w, InvertedResidual.Stage e, InvertedResidual.Stage d,
                                     InvertedResidual.Stage p, boolean residual) {
        float[] t = x;
        int ch = c;
        if (e != null) {
            t = conv(t, new ConvGeometry(n, c, h, w, e.w().dim(0), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), e);
            ch = e.w().dim(0);
        }
        int s = d.options().strideH();
        ConvGeometry gd = new ConvGeometry(n, ch, h, w, ch, 3, 3, s, s, 1, 1, 1, 1, 1, 1, ch);
        t = conv(t, gd, d);
        t = conv(t, new ConvGeometry(n, ch, gd.outH(), gd.outW(), p.w().dim(0), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), p);
        if (residual) for (int i = 0; i < t.length; i++) t[i] += x[i];
        return t;
    }

    private static float[] conv(float[] x, ConvGeometry g, InvertedResidual.Stage s) {
        float[] out = new float[g.n() * g.o() * g.outH() * g.outW()];
        ConvReference.forward(g, x, s.w().data(), s.bias() == null ? null : s.bias().data(), out);
        for (int i = 0; i < out.length; i++) out[i] = Math.min(s.hi(), Math.max(s.lo(), out[i]));
        return out;
    }
}
