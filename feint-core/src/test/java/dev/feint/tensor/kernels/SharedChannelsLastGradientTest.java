package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fused conv + ReLU + pool's output gradient expanded once, channels-last, for both of its
 * gradients ({@link ConvReluPool#outputGradChannelsLast}, {@link Conv2dKernels#backwardWeightChannelsLast},
 * {@link ChannelsLastInputGradient}) against the per-image NCHW expansion each kernel made for
 * itself: the same bits, for output channels on and off the vector and panel widths, odd maps
 * (conv outputs no window reads), with and without pooling, on one and two threads.
 */
@ExtendWith(WinogradOn.class)
class SharedChannelsLastGradientTest {
    @Test
    void oneChannelsLastExpansionGivesThePerImageBits() {
        ConvGeometry[] gs = {
            new ConvGeometry(6, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1),    // madry-cnn conv2
            new ConvGeometry(5, 16, 9, 11, 24, 5, 5, 1, 1, 2, 2, 1, 1),     // o off the vector and panel widths, odd maps
            new ConvGeometry(3, 20, 7, 7, 40, 5, 5, 1, 1, 1, 1, 1, 1)};     // pad 1: a 5x5 output
        long seed = 11;
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (ConvGeometry g : gs)
                for (int pool : new int[] {1, 2}) {
                    assertTrue(Conv2dKernels.sharesChannelsLastGradient(g), g::toString);
                    Random r = new Random(seed++);
                    int ohw = g.outH() * g.outW(), image = g.o() * ohw;
                    float[] x = WinogradInterleavedTest.random(g.n() * g.c() * g.h() * g.w(), r, 1);
                    float[] w = WinogradInterleavedTest.random(g.o() * g.patch(), r, 0.1), b = WinogradInterleavedTest.random(g.o(), r, 0.1);
                    int ph = g.outH() / pool, pw = g.outW() / pool;
                    float[] out = new float[g.n() * g.o() * ph * pw];
                    int[] arg = pool > 1 ? new int[out.length] : null;
                    ConvReluPool.forward(g, x, w, b, pool, out, arg);
                    float[] go = WinogradInterleavedTest.random(out.length, r, 1);
                    for (int i = 0; i < go.length; i += 7) go[i] = -0f;       // a -0 gradient stays +0 as the planes' 0 + g gives
                    Conv2dKernels.OutputGrad each = ConvReluPool.outputGrad(g, out, arg, go);

                    float[] gzl = new float[g.n() * image];
                    java.util.Arrays.fill(gzl, Float.NaN);
                    ConvReluPool.outputGradChannelsLast(g, out, arg, go, gzl);
                    float[] plane = new float[image];
                    for (int n = 0; n < g.n(); n++) {
                        each.image(n, plane);
                        for (int oc = 0; oc < g.o(); oc++)
                            for (int p = 0; p < ohw; p++)
                                assertEquals(Float.floatToRawIntBits(plane[oc * ohw + p]), Float.floatToRawIntBits(gzl[n * image + p * g.o() + oc]),
                                        () -> g + " pool " + pool + " expansion");
                    }

                    float[] gw0 = WinogradInterleavedTest.random(w.length, r, 0.01), gw1 = gw0.clone();
                    float[] gb0 = WinogradInterleavedTest.random(g.o(), r, 0.01), gb1 = gb0.clone();
                    Conv2dKernels.backwardWeight(g, x, each, gw0, gb0);
                    Conv2dKernels.backwardWeightChannelsLast(g, x, gzl, gw1, gb1);
                    assertArrayEquals(gw0, gw1, 0f, () -> g + " pool " + pool + " weight gradient");
                    assertArrayEquals(gb0, gb1, 0f, () -> g + " pool " + pool + " bias gradient");

                    float[] gx0 = WinogradInterleavedTest.random(x.length, r, 0.01), gx1 = gx0.clone();
                    PreparedConv pc = PreparedConv.inputGradient(g, w);
                    Conv2dKernels.backwardInput(g, each, w, gx0, pc);
                    ChannelsLastInputGradient.backwardInput(g, gzl, w, gx1, false, pc);
                    assertArrayEquals(gx0, gx1, 0f, () -> g + " pool " + pool + " input gradient");
                }
        }
    }

    @Test
    void onlyWinogradWeightGradientsReadChannelsLast() {
        ConvGeometry three = new ConvGeometry(2, 32, 8, 8, 32, 3, 3, 1, 1, 1, 1, 1, 1);
        ConvGeometry fewChannels = new ConvGeometry(2, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1);   // madry-cnn conv1
        assertFalse(Conv2dKernels.sharesChannelsLastGradient(three));
        assertFalse(Conv2dKernels.sharesChannelsLastGradient(fewChannels));
        assertThrows(IllegalArgumentException.class,
                () -> Conv2dKernels.backwardWeightChannelsLast(three, new float[2 * 32 * 64], new float[2 * 32 * 64], new float[32 * 32 * 9], null));
    }

    @Test
    void columnSumsAddThePixelsInThePlanesOrder() {
        Random r = new Random(5);
        for (int pixels : new int[] {0, 3, 16, 49, 196, 37})
            for (int o : new int[] {64, 24, 5}) {
                float[] cl = new float[pixels * o], planes = new float[pixels * o];
                for (int p = 0; p < pixels; p++)
                    for (int oc = 0; oc < o; oc++) planes[oc * pixels + p] = cl[p * o + oc] = (float) (r.nextGaussian() * Math.exp(4 * r.nextGaussian()));
                for (boolean add : new boolean[] {false, true}) {
                    float[] want = WinogradInterleavedTest.random(o, r, 1), got = want.clone();
                    Conv2dKernels.rowSums(planes, 0, o, pixels, want, 0, add);
                    WinogradWeightGrad.columnSums(cl, 0, pixels, o, got, 0, add);
                    assertArrayEquals(want, got, 0f, () -> pixels + " pixels, " + o + " channels");
                }
            }
    }
}
