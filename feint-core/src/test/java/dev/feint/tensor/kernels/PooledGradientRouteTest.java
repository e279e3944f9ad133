package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused conv + ReLU + 2x2 pool's three routes of the pooled gradient to the window maxima
 * (NCHW image, the weight gradient's channel panels, channels-last) against the definition written
 * out here, one value at a time: conv output arg[q] receives {@code 0 + gradOut[q]} where out[q] > 0,
 * every other conv output 0, raw bits compared (a -0 gradient gives +0). The routes share one
 * kernel, so comparing them with each other (as {@link SharedChannelsLastGradientTest} does)
 * cannot see a bug in it. Pooled planes of 196 (madry-cnn's conv1: whole vectors and a tail),
 * 9 (under one vector) and 16 (exactly one) outputs.
 */
class PooledGradientRouteTest {
    @Test
    void everyRouteGivesEachWindowMaximumItsGradient() {
        ConvGeometry[] gs = {
            new ConvGeometry(3, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1),     // madry-cnn conv1: 14x14 pooled
            new ConvGeometry(2, 3, 7, 6, 40, 3, 3, 1, 1, 1, 1, 1, 1),       // 7x6 conv output: 3x3 pooled, a row and a column no window reads
            new ConvGeometry(2, 2, 8, 8, 5, 3, 3, 1, 1, 1, 1, 1, 1)};       // 4x4 pooled: one vector, no tail
        Random r = new Random(3);
        for (ConvGeometry g : gs) {
            int ohw = g.outH() * g.outW(), image = g.o() * ohw, pooled = (g.outH() / 2) * (g.outW() / 2);
            float[] x = WinogradInterleavedTest.random(g.n() * g.c() * g.h() * g.w(), r, 1);
            float[] w = WinogradInterleavedTest.random(g.o() * g.patch(), r, 0.3), b = WinogradInterleavedTest.random(g.o(), r, 0.1);
            float[] out = new float[g.n() * g.o() * pooled];
            int[] arg = new int[out.length];
            ConvReluPool.forward(g, x, w, b, 2, out, arg);
            float[] go = WinogradInterleavedTest.random(out.length, r, 1);
            for (int i = 0; i < go.length; i += 5) go[i] = -0f;
            float[] want = new float[g.n() * image];
            int positive = 0;
            for (int q = 0; q < out.length; q++)
                if (out[q] > 0f) {
                    want[arg[q]] = 0f + go[q];
                    positive++;
                }
            assertTrue(positive > out.length / 4 && positive < out.length, g + ": " + positive + " of " + out.length + " outputs positive");

            Conv2dKernels.OutputGrad each = ConvReluPool.outputGrad(g, out, arg, go);
            float[] plane = new float[image];
            for (int n = 0; n < g.n(); n++) {
                Arrays.fill(plane, Float.NaN);
                each.image(n, plane);
                for (int i = 0; i < image; i++) same(want[n * image + i], plane[i], g + " image " + n + " value " + i);
            }

            int width = 16, panels = (g.o() + width - 1) / width, panelStride = g.n() * ohw * width + 7;
            float[] pan = new float[panels * panelStride];
            Arrays.fill(pan, Float.NaN);
            for (int n = 0; n < g.n(); n++) ((ConvWeightGradient.Panels) each).panels(n, pan, n * ohw * width, panelStride, width);
            for (int n = 0; n < g.n(); n++)
                for (int oc = 0; oc < g.o(); oc++)
                    for (int p = 0; p < ohw; p++)
                        same(want[n * image + oc * ohw + p], pan[oc / width * panelStride + (n * ohw + p) * width + oc % width],
                                g + " panels image " + n + " channel " + oc + " pixel " + p);

            float[] cl = new float[g.n() * image];
            Arrays.fill(cl, Float.NaN);
            ConvReluPool.outputGradChannelsLast(g, out, arg, go, cl);
            for (int n = 0; n < g.n(); n++)
                for (int oc = 0; oc < g.o(); oc++)
                    for (int p = 0; p < ohw; p++)
                        same(want[n * image + oc * ohw + p], cl[n * image + p * g.o() + oc], g + " channels-last image " + n + " channel " + oc + " pixel " + p);
        }
    }

    private static void same(float want, float got, String what) {
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), () -> what + ": want " + want + ", got " + got);
    }
}
