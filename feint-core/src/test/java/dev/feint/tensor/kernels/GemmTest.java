package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fast GEMM against {@link GemmReference} on edge and random shapes. */
class GemmTest {
    private static final float SENTINEL = -12345f;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** One GEMM problem with padded leading dims and offsets; C outside the logical block holds SENTINEL. */
    record Problem(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
        static Problem random(Random r, boolean ta, boolean tb, int m, int n, int k, boolean acc, boolean pad) {
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + (pad ? r.nextInt(5) : 0), ldb = bCols + (pad ? r.nextInt(5) : 0);
            int ldc = n + (pad ? r.nextInt(5) : 0);
            int aOff = pad ? r.nextInt(7) : 0, bOff = pad ? r.nextInt(7) : 0, cOff = pad ? r.nextInt(7) : 0;
            float[] a = fill(r, aOff + Math.max(0, aRows * lda) + 3);
            float[] b = fill(r, bOff + Math.max(0, bRows * ldb) + 3);
            float[] c = new float[cOff + m * ldc + 3];
            java.util.Arrays.fill(c, SENTINEL);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = acc ? r.nextFloat() * 2 - 1 : Float.NaN;
            return new Problem(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        }

        float[] run(boolean parallel) {
            float[] out = c.clone();
            if (parallel) Gemm.sgemmParallel(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, acc);
            else Gemm.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, acc);
            return out;
        }

        float[] reference() {
            float[] out = c.clone();
            // The reference reads C even when overwriting only through its accumulate flag.
            GemmReference.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, acc);
            return out;
        }

        /** Null when got matches want within the sqrt(k)-scaled tolerance, else a description. */
        String compare(float[] want, float[] got) {
            double tol = 1e-5 * Math.sqrt(Math.max(1, k));
            for (int idx = 0; idx < want.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    if (got[idx] != SENTINEL) return "wrote outside C at " + idx;
                    continue;
                }
                if (!(Math.abs(got[idx] - want[idx]) <= tol * (1 + Math.abs(want[idx]))))
                    return "C(" + rel / ldc + "," + rel % ldc + ") = " + got[idx] + ", expected " + want[idx];
            }
            return null;
        }

        @Override public String toString() {
            return "ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + " acc=" + acc
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " offs=" + aOff + "/" + bOff + "/" + cOff;
        }
    }

    static float[] fill(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    private static void check(Problem p, boolean parallel) {
        String err = p.compare(p.reference(), p.run(parallel));
        if (err != null) fail(p + (parallel ? " [parallel]" : "") + ": " + err);
    }

    private static final int[] SIZES = {1, 2, 5, 7, 13, 16, 17, 31, 33, 97};

    @Test
    void microTileRowsFollowTheForcingPropertyOrTheVectorWidth() {
        String forced = System.getProperty("feint.gemm.rows");
        int vl = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertEquals(forced != null ? Integer.parseInt(forced) : vl >= 16 ? 6 : 4, Gemm.MR);
        assertEquals(Gemm.MR, ChannelsLastConv.MR);
    }

    @Test
    void edgeShapesAllTransposesAndAccumulate() {
        Random r = new Random(1);
        for (int m : SIZES)
            for (int n : SIZES)
                for (int t = 0; t < 8; t++) {
                    int k = SIZES[r.nextInt(SIZES.length)];
                    check(Problem.random(r, (t & 1) != 0, (t & 2) != 0, m, n, k, (t & 4) != 0, true), false);
                }
    }

    @Test
    void randomShapesCrossingCacheBlocks() {
        Random r = new Random(2);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + r.nextInt(trial < 30 ? 70 : 220), n = 1 + r.nextInt(trial < 30 ? 90 : 150);
            int k = 1 + r.nextInt(trial < 30 ? 100 : 600);
            check(Problem.random(r, r.nextBoolean(), r.nextBoolean(), m, n, k, r.nextBoolean(), r.nextBoolean()), false);
        }
        // Past the n block (NC) and several k blocks (KC) at once.
        check(Problem.random(r, false, true, 7, Gemm.NC + 53, Gemm.KC * 2 + 3, true, true), false);
        check(Problem.random(r, true, false, Gemm.MC * 2 + 5, 37, Gemm.KC + 1, false, true), false);
        // One or two rows (the unpacked FewRows path), k and n not multiples of the vector length.
        for (int m = 1; m <= Gemm.FEW_ROWS + 1; m++)
            for (int t = 0; t < 4; t++)
                check(Problem.random(r, false, (t & 1) != 0, m, 301 + t, 211 + 2 * t, (t & 2) != 0, true), t % 2 == 0);
    }

    @Test
    void kZeroOverwritesOrKeeps() {
        Random r = new Random(3);
        for (boolean acc : new boolean[] {false, true}) {
            Problem p = Problem.random(r, false, false, 5, 9, 0, acc, true);
            float[] got = p.run(false);
            for (int i = 0; i < p.m(); i++)
                for (int j = 0; j < p.n(); j++) {
                    int idx = p.cOff() + i * p.ldc() + j;
                    assertEquals(acc ? p.c()[idx] : 0f, got[idx], "k=0 acc=" + acc);
                }
            assertEquals(null, p.compare(p.reference(), got));
        }
    }

    @Test
    void parallelIsBitwiseEqualToSerialForAnyThreadCount() {
        Random r = new Random(4);
        // Above Gemm's parallel threshold (2^23 multiply-adds): split by rows, by columns, across NC.
        int[][] shapes = {{64, 196, 800}, {300, 150, 200}, {40, 700, 320}, {7, Gemm.NC + 100, 600}, {128, 128, 128},
                          {1, 1024, 3136}, {2, 1030, 1500}, {3, 2000, 1500}, {8, 4000, 300}};
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) {
                Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 3, true);
                Parallel.setThreads(1);
                float[] serial = p.run(false);
                Parallel.setThreads(2);
                float[] par = p.run(true);
                assertArrayEquals(serial, par, p.toString());
                Parallel.setThreads(3);
                assertArrayEquals(serial, p.run(true), p.toString());
            }
        Parallel.setThreads(2);
        check(Problem.random(r, true, true, 97, 131, 700, true, true), true);
    }

    @Test
    void prePackedAIsBitwiseEqualToUnpacked() {
        Random r = new Random(6);
        // The last shape spans several m blocks and L2-sized column blocks (NC_L2), with a partial last one.
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {13, 40, 25}, {64, 196, 800}, {Gemm.MC + 7, 33, Gemm.KC * 2 + 5}, {800, 196, 64},
                          {Gemm.MC * 2 + 5, Gemm.NC_L2 * 2 + 37, Gemm.KC + 9}};
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) {
                Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 3, true);
                Gemm.PackedA packed = Gemm.pack(p.ta(), p.m(), p.k(), p.a(), p.aOff(), p.lda());
                float[] got = p.c().clone();
                Gemm.sgemm(packed, p.tb(), p.n(), p.b(), p.bOff(), p.ldb(), got, p.cOff(), p.ldc(), p.acc());
                assertArrayEquals(p.run(false), got, p.toString());
            }
    }

    /**
     * Products of MC to MC_ONE_PASS rows run as one m block (a linear layer's dX at batch 128):
     * against the reference, and bit for bit against the pre-packed A's MC blocks, across several
     * B column blocks (NC_ONE_PASS) and k blocks.
     */
    @Test
    void onePassRowsMatchTheBlockedPath() {
        Random r = new Random(8);
        for (int m : new int[] {Gemm.MC + 1, 128, Gemm.MC_ONE_PASS})
            for (int t = 0; t < 4; t++) {
                Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, m, Gemm.NC_ONE_PASS * 2 + 37, Gemm.KC * 2 + 5, t == 3, true);
                float[] got = p.run(false);
                String err = p.compare(p.reference(), got);
                if (err != null) fail(p + ": " + err);
                Gemm.PackedA packed = Gemm.pack(p.ta(), p.m(), p.k(), p.a(), p.aOff(), p.lda());
                float[] blocked = p.c().clone();
                Gemm.sgemm(packed, p.tb(), p.n(), p.b(), p.bOff(), p.ldb(), blocked, p.cOff(), p.ldc(), p.acc());
                assertArrayEquals(blocked, got, p.toString());
            }
    }

    /**
     * Every element is the same fma chain whatever tile it lands in (full 6 x 2VL or 4 x 2VL tiles,
     * narrow and edge tiles): over each k block from zero, in order, then added to C.
     * Bit for bit against that chain written out in scalars.
     */
    @Test
    void everyElementIsTheSameFmaChainWhateverItsTile() {
        Random r = new Random(9);
        int kc = Gemm.KC;
        for (int t = 0; t < 4; t++) {
            Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, 2 * Gemm.MC + 29, 3 * Gemm.NR + 7, kc * 2 + 37, t == 3, true);
            float[] got = p.run(false), want = p.c().clone();
            int k = p.k(), blocks = (k + kc - 1) / kc, step = (k + blocks - 1) / blocks;
            for (int i = 0; i < p.m(); i++)
                for (int j = 0; j < p.n(); j++) {
                    int ci = p.cOff() + i * p.ldc() + j;
                    for (int pc = 0; pc < k; pc += step) {
                        float s = 0f;
                        for (int q = pc; q < Math.min(k, pc + step); q++) {
                            float av = p.ta() ? p.a()[p.aOff() + q * p.lda() + i] : p.a()[p.aOff() + i * p.lda() + q];
                            float bv = p.tb() ? p.b()[p.bOff() + j * p.ldb() + q] : p.b()[p.bOff() + q * p.ldb() + j];
                            s = Math.fma(av, bv, s);
                        }
                        want[ci] = p.acc() || pc > 0 ? want[ci] + s : s;
                    }
                }
            assertArrayEquals(want, got, p.toString());
        }
    }

    @Test
    void prePackedAOverThreadsIsBitwiseEqualToSerial() {
        Random r = new Random(7);
        // Above the parallel threshold, rows split over the threads, each part spanning NC_L2 column blocks.
        Problem p = Problem.random(r, false, true, 4 * Gemm.MC + 3, Gemm.NC_L2 * 3 + 5, 700, false, true);
        Gemm.PackedA packed = Gemm.pack(false, p.m(), p.k(), p.a(), p.aOff(), p.lda());
        Parallel.setThreads(1);
        float[] serial = p.run(false);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] got = p.c().clone();
            Gemm.sgemmParallel(packed, true, p.n(), p.b(), p.bOff(), p.ldb(), got, p.cOff(), p.ldc(), false);
            assertArrayEquals(serial, got, threads + " threads: " + p);
        }
    }

    @Test
    void comparisonCatchesAWrongKernel() {
        Random r = new Random(5);
        Problem p = Problem.random(r, false, false, 13, 17, 31, false, true);
        float[] got = p.run(false);
        assertEquals(null, p.compare(p.reference(), got));
        got[p.cOff() + 5 * p.ldc() + 16] += 1e-3f;                   // one element off by 1e-3
        assertTrue(p.compare(p.reference(), got) != null, "checker must reject a perturbed result");
        float[] outside = p.run(false);
        outside[p.cOff() + p.n()] = 0f;                            // only differs in the ldc padding
        if (p.ldc() > p.n()) assertTrue(p.compare(p.reference(), outside) != null);
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[10];
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 3, 4, 2, x, 0, 2, x, 0, 4, x, 0, 4, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, -1, 1, 1, x, 0, 1, x, 0, 1, x, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 2, 2, 2, x, 0, 1, x, 0, 2, x, 0, 2, false));
    }
}
