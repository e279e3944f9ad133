package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link StridedInputGradient} against {@link ConvReference#backwardInput}. */
class StridedInputGradientTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
        Conv2dKernels.setStridedInputGradient(true);
    }

    /** Random strided geometries: odd sizes, channels off the vector width, batch 1 to 40, kernels 1-7. */
    static List<ConvGeometry> geometries() {
        Random r = new Random(23);
        List<ConvGeometry> gs = new ArrayList<>();
        for (int i = 0; gs.size() < 40; i++) {
            int k = 1 + r.nextInt(7), kw = r.nextBoolean() ? k : 1 + r.nextInt(7);
            int sy = 2 + r.nextInt(2), sx = r.nextInt(4) == 0 ? 1 : 2 + r.nextInt(2);
            int pt = r.nextInt(k), pl = r.nextInt(kw), pb = r.nextInt(k), pr = r.nextInt(kw);
            int h = k + r.nextInt(12), w = kw + r.nextInt(14), n = new int[] {1, 1, 2, 5, 40}[r.nextInt(5)];
            int c = 16 + r.nextInt(30), o = 1 + r.nextInt(40);
            ConvGeometry g = new ConvGeometry(n, c, h, w, o, k, kw, sy, sx, pt, pl, pb, pr, 1, 1, 1);
            if (StridedInputGradient.applies(g)) gs.add(g);
        }
        // ResNet-18's strided layers on 32x32 input (7x7/2 stem apart: 3 channels) and an odd-sized map.
        gs.add(new ConvGeometry(3, 64, 8, 8, 128, 3, 3, 2, 2, 1, 1, 1, 1));
        gs.add(new ConvGeometry(3, 64, 8, 8, 128, 1, 1, 2, 2, 0, 0, 1, 1));
        gs.add(new ConvGeometry(5, 128, 4, 4, 256, 3, 3, 2, 2, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 256, 2, 2, 512, 3, 3, 2, 2, 1, 1, 1, 1));
        gs.add(new ConvGeometry(2, 17, 15, 13, 9, 7, 7, 2, 2, 3, 3, 1, 1));
        // Input planes of 256 pixels or more (scattered a phase row per channel), channel blocks ragged.
        gs.add(new ConvGeometry(2, 19, 17, 18, 7, 3, 3, 2, 2, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 33, 16, 20, 12, 1, 1, 2, 2, 0, 0, 1, 1));
        return gs;
    }

    private static float[] reference(ConvGeometry g, Conv2dKernelsTest.Problem p) {
        float[] gx = p.gradX0.clone();
        ConvReference.backwardInput(g, p.gradOut, p.w, gx);
        return gx;
    }

    private static void assertMatches(ConvGeometry g, long seed) {
        Conv2dKernelsTest.Problem p = new Conv2dKernelsTest.Problem(g, seed);
        float[] want = reference(g, p);
        float[] got = p.gradX0.clone();
        Conv2dKernels.backwardInput(g, p.gradOut, p.w, got);
        String e = Conv2dKernelsTest.compare(want, got, g.o() * g.kh() * g.kw());
        if (e != null) fail("whole gradient " + g + ": " + e);
        // Per image, and with phases prepared once for another batch size.
        int size = g.o() * g.outH() * g.outW();
        float[] each = p.gradX0.clone();
        Conv2dKernels.backwardInput(g, (n, dst) -> System.arraycopy(p.gradOut, n * size, dst, 0, size), p.w, each,
                PreparedConv.inputGradient(g.withBatch(64), p.w));
        e = Conv2dKernelsTest.compare(want, each, g.o() * g.kh() * g.kw());
        if (e != null) fail("per-image gradient, prepared " + g + ": " + e);
    }

    @Test
    void matchesTheReferenceOnRandomStridedGeometries() {
        Parallel.setThreads(2);
        long seed = 1;
        for (ConvGeometry g : geometries()) assertMatches(g, seed++);
        Parallel.setThreads(1);
        assertMatches(new ConvGeometry(1, 19, 9, 11, 21, 3, 3, 2, 2, 1, 1, 1, 1), 99);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        for (ConvGeometry g : new ConvGeometry[] {new ConvGeometry(13, 64, 8, 8, 128, 3, 3, 2, 2, 1, 1, 1, 1),
                                                  new ConvGeometry(3, 33, 11, 9, 20, 5, 4, 3, 2, 2, 1, 1, 1)}) {
            Conv2dKernelsTest.Problem p = new Conv2dKernelsTest.Problem(g, 4);
            Parallel.setThreads(1);
            float[] one = p.gradX0.clone();
            Conv2dKernels.backwardInput(g, p.gradOut, p.w, one);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                float[] many = p.gradX0.clone();
                Conv2dKernels.backwardInput(g, p.gradOut, p.w, many);
                assertArrayEquals(one, many, g + " threads=" + t);
            }
        }
    }

    @Test
    void appliesWhereThePhasesAreConvolutions() {
        assertTrue(StridedInputGradient.applies(new ConvGeometry(1, 64, 8, 8, 128, 3, 3, 2, 2, 1, 1, 1, 1)));
        assertFalse(StridedInputGradient.applies(new ConvGeometry(1, 3, 32, 32, 64, 7, 7, 2, 2, 3, 3, 1, 1)), "3 channels");
        assertFalse(StridedInputGradient.applies(new ConvGeometry(1, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1)), "stride 1");
        assertFalse(StridedInputGradient.applies(new ConvGeometry(1, 64, 9, 9, 64, 3, 3, 2, 2, 1, 1, 2, 2)), "dilated");
        // Padding past the kernel: a phase would need a negative padding.
        assertFalse(StridedInputGradient.applies(new ConvGeometry(1, 16, 8, 8, 8, 3, 3, 2, 2, 4, 4, 4, 4, 1, 1, 1)));
        // Padding past the kernel is correct on the GEMM path it falls back to.
        assertMatches(new ConvGeometry(2, 16, 8, 8, 8, 3, 3, 2, 2, 4, 4, 4, 4, 1, 1, 1), 7);
    }

    @Test
    void theGemmPathGivesTheSameValues() {
        ConvGeometry g = new ConvGeometry(6, 40, 9, 9, 24, 3, 3, 2, 2, 1, 1, 1, 1);
        Conv2dKernelsTest.Problem p = new Conv2dKernelsTest.Problem(g, 12);
        float[] phases = p.gradX0.clone(), gemm = p.gradX0.clone();
        Conv2dKernels.backwardInput(g, p.gradOut, p.w, phases);
        Conv2dKernels.setStridedInputGradient(false);
        Conv2dKernels.backwardInput(g, p.gradOut, p.w, gemm);
        String e = Conv2dKernelsTest.compare(gemm, phases, g.o() * 9);
        if (e != null) fail(e);
    }
}
