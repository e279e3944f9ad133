package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM: C = op(A) * op(B) (+ C). Same contract as {@link GemmReference}.
 *
 * <p>Packed, register-blocked (BLIS-style) design. B is packed into column panels of
 * {@code NR = 2 * VL} (32 on AVX-512), A into slivers of {@link #MR} = 6 rows, and a 6 x NR
 * micro-kernel keeps 12 {@link FloatVector} accumulators in registers. A panel narrower than VL
 * columns is packed VL wide and handled by a 6 x VL kernel, so narrow right edges do half the work.
 * Loops are blocked over k ({@link #KC}, so a B micro-panel stays in L1), m ({@link #MC}, the
 * packed A block stays in L2) and n ({@link #NC}, the packed B block stays in L2/L3; with a
 * pre-packed A spanning several m blocks, {@link #NC_L2}, so that it stays in L2).
 *
 * <p>Every element of C sums over k in the same order whatever the tile it lands in, so splitting
 * m or n over threads gives bitwise the same result as the single-threaded call.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /**
     * Rows per A sliver / micro-tile: 6 where there are 32 vector registers (AVX-512), else 4. The
     * system property {@code feint.gemm.rows} (4 or 6) forces one, so the tests cover both tiles on
     * any machine.
     */
    static final int MR = rows(System.getProperty("feint.gemm.rows"));

    private static int rows(String forced) {
        int natural = VL >= 16 ? 6 : 4;
        if (forced == null) return natural;
        if (forced.equals("4") || forced.equals("6")) return Integer.parseInt(forced);
        // A class initialiser cannot report a user error cleanly: say it once and go on.
        System.err.println("feint: ignoring -Dfeint.gemm.rows=" + forced + " (expected 4 or 6); using " + natural);
        return natural;
    }
    /** Columns per B panel / micro-tile. */
    static final int NR = 2 * VL;
    static final int KC = 256;
    static final int MC = 96;                       // multiple of MR
    static final int NC = Math.max(NR, 2048 / NR * NR);
    /**
     * Columns per B block when A comes pre-packed and spans several {@link #MC} blocks: the packed
     * B block (KC x this) is then re-read once per A block, so it is sized to a quarter of the L2
     * cache ({@link CacheSizes#l2Bytes}), leaving room for the A block and C. Re-reading a packed
     * A per column block is a stream, not a copy. madry-cnn's 3136 -> 1024 layer at batch 512 on
     * the 512 KiB-L2 Zen 3: 128 columns took 70-78 ms against 84-87 with {@link #NC} (1 thread).
     */
    static final int NC_L2 = columnsFor(CacheSizes.l2Bytes() / 4);

    /**
     * Up to this many rows (22 slivers) of a product whose A is packed here run as one m block
     * instead of a full {@link #MC} block and a ragged one, with B blocks of {@link #NC_ONE_PASS}
     * columns. The linear layer's dX (128 x 3136 x 1024) re-read each 2 MB B block (KC x NC,
     * the whole L2 here) for its second block of 32 rows: 4.80 -> 4.45 ms on two threads,
     * 8.45 -> 8.37 on one (docs/runs/trainrest-2026-12-03/onepass-ab.txt).
     */
    static final int MC_ONE_PASS = 132;
    /** B block columns for a product of at most {@link #MC_ONE_PASS} rows: half the L2, so it stays there while A passes. */
    static final int NC_ONE_PASS = columnsFor(CacheSizes.l2Bytes() / 2);

    /** The widest multiple of NR (at least NR, at most NC) whose KC-row packed block fits in {@code bytes}. */
    static int columnsFor(long bytes) {
        long cols = bytes / (4L * KC) / NR * NR;
        return (int) Math.max(NR, Math.min(NC, cols));
    }
    /** Below this many multiply-adds the packing overhead is not worth it. */
    private static final long SMALL = 8 * 1024;
    /**
     * Below this many multiply-adds (~100 us on one thread) the thread hand-off costs more than it
     * saves: a {@link Parallel#forRange} round trip measured about 30 us on the 2-vCPU VM.
     */
    private static final long PARALLEL_MIN = 1L << 23;

    /** Per-thread packing buffers, reused across calls. */
    private static final class Buffers {
        final float[] packA = new float[MC_ONE_PASS * KC];
        final float[] packB = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {}

    /**
     * C = op(A) * op(B), or C += op(A) * op(B) with {@code accumulate}, on the caller thread.
     *
     * @param transA whether op(A) is A transposed (A then stored k x m)
     * @param transB whether op(B) is B transposed (B then stored n x k)
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param a A, row-major
     * @param aOff where A starts in {@code a}
     * @param lda A's row stride (leading dimension)
     * @param b B, row-major
     * @param bOff where B starts in {@code b}
     * @param ldb B's row stride
     * @param c C, row-major, written (or added to)
     * @param cOff where C starts in {@code c}
     * @param ldc C's row stride
     * @param accumulate add to C instead of overwriting it
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate)
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if ((long) m * n * k < SMALL) {
            small(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (m <= FEW_ROWS && !transA) {
            FewRows.gemm(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        run(transA, m, n, k, a, aOff, lda, null, 0, transB, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * At most this many rows of C (a batch of one or two through a linear layer) go to
     * {@link FewRows}: packing B, which is then read by only one or two rows, costs more than the
     * products (the 3136 x 1024 layer of madry-cnn: 2.4 ms packed, a quarter of that unpacked).
     */
    public static final int FEW_ROWS = 2;

    /**
     * op(A) packed once, for many products with the same left operand (a convolution's weights
     * against each image of a batch): packing is then paid once per batch, not once per image.
     */
    public static final class PackedA {
        final int m, k, mPad, kStep;
        final float[] data;

        private PackedA(int m, int k) {
            this.m = m;
            this.k = k;
            this.mPad = (m + MR - 1) / MR * MR;
            this.kStep = kStep(k);
            this.data = new float[mPad * k];
        }

        /** {@return the rows of op(A)} */
        public int m() { return m; }

        /** {@return the columns of op(A)} */
        public int k() { return k; }
    }

    /**
     * Packs op(A) (m x k) for {@link #sgemm(PackedA, boolean, int, float[], int, int, float[], int, int, boolean)}.
     *
     * @param transA whether op(A) is A transposed (A then stored k x m)
     * @param m rows of op(A) and C
     * @param k columns of op(A), rows of op(B)
     * @param a A, row-major
     * @param aOff where A starts in {@code a}
     * @param lda A's row stride (leading dimension)
     * @return the packed A
     */
    public static PackedA pack(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return pack(transA, m, k, a, aOff, lda, null);
    }

    /**
     * As {@link #pack(boolean, int, int, float[], int, int)}, refilling {@code reuse} if it has the same sizes.
     *
     * @param transA whether op(A) is A transposed (A then stored k x m)
     * @param m rows of op(A) and C
     * @param k columns of op(A), rows of op(B)
     * @param a A, row-major
     * @param aOff where A starts in {@code a}
     * @param lda A's row stride (leading dimension)
     * @param reuse a packed A to refill, or null
     * @return the packed A ({@code reuse} itself when its sizes fit)
     */
    public static PackedA pack(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedA reuse) {
        if (m < 1 || k < 1) throw new IllegalArgumentException("pack needs m, k >= 1, got m=" + m + " k=" + k);
        int aCols = transA ? m : k, aRows = transA ? k : m;
        if (lda < aCols) throw new IllegalArgumentException("lda=" + lda + " < " + aCols);
        need(a, "A", aOff, (long) (aRows - 1) * lda + aCols);
        PackedA p = reuse != null && reuse.m == m && reuse.k == k ? reuse : new PackedA(m, k);
        int blocks = (m + MC - 1) / MC;
        // Row blocks over the worker threads for a large operand (a layer's weights): the copy is
        // then no slower than packing B inside a parallel product was.
        Parallel.forRange(blocks, (long) m * k >= PARALLEL_MIN / 8 ? 1 : blocks, (chunk, from, to) -> {
            for (int pc = 0; pc < k; pc += p.kStep) {
                int kc = Math.min(p.kStep, k - pc);
                for (int ic = from * MC; ic < Math.min(m, to * MC); ic += MC)
                    packA(transA, a, aOff, lda, ic, Math.min(MC, m - ic), pc, kc, p.data, pc * p.mPad + ic * kc);
            }
        });
        return p;
    }

    /**
     * C = A * op(B) (+ C) with A pre-packed; bitwise the same result as the unpacked call.
     *
     * @param a A, packed by {@link #pack}
     * @param transB whether op(B) is B transposed (B then stored n x k)
     * @param n columns of op(B) and C
     * @param b B, row-major
     * @param bOff where B starts in {@code b}
     * @param ldb B's row stride
     * @param c C, row-major, written (or added to)
     * @param cOff where C starts in {@code c}
     * @param ldc C's row stride
     * @param accumulate add to C instead of overwriting it
     */
    public static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        int m = a.m, k = a.k;
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (n == 0) return;
        checkPacked(a, transB, n, b, bOff, ldb, c, cOff, ldc);
        if ((long) m * n * k < SMALL) {
            // Same as the unpacked call would do for a tiny product: unpack A's values in place.
            float[] dense = new float[m * k];
            for (int pc = 0; pc < k; pc += a.kStep) {
                int kc = Math.min(a.kStep, k - pc);
                for (int i = 0; i < m; i++)
                    for (int p = 0; p < kc; p++) dense[i * k + pc + p] = a.data[pc * a.mPad + i / MR * MR * kc + p * MR + i % MR];
            }
            small(false, transB, m, n, k, dense, 0, k, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        run(false, m, n, k, null, 0, 0, a, 0, transB, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * As {@link #sgemm(PackedA, boolean, int, float[], int, int, float[], int, int, boolean)}, with
     * A's rows split over the worker threads in whole slivers (each thread streams its part of the
     * packed A once); bitwise the same result.
     *
     * @param a A, packed by {@link #pack}
     * @param transB whether op(B) is B transposed (B then stored n x k)
     * @param n columns of op(B) and C
     * @param b B, row-major
     * @param bOff where B starts in {@code b}
     * @param ldb B's row stride
     * @param c C, row-major, written (or added to)
     * @param cOff where C starts in {@code c}
     * @param ldc C's row stride
     * @param accumulate add to C instead of overwriting it
     */
    public static void sgemmParallel(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                                     float[] c, int cOff, int ldc, boolean accumulate) {
        int m = a.m, k = a.k, slivers = a.mPad / MR;
        if ((long) m * n * k < PARALLEL_MIN || Parallel.chunks(slivers, 1) <= 1) {
            sgemm(a, transB, n, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        checkPacked(a, transB, n, b, bOff, ldb, c, cOff, ldc);
        Parallel.forRange(slivers, 1, (chunk, from, to) -> {
            int i0 = from * MR, i1 = Math.min(m, to * MR);
            run(false, i1 - i0, n, k, null, 0, 0, a, i0, transB, b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
        });
    }

    /** B and C against a pre-packed A's sizes. */
    private static void checkPacked(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int m = a.m, k = a.k;
        if (ldc < n) throw new IllegalArgumentException("ldc=" + ldc + " < n=" + n);
        need(c, "C", cOff, (long) (m - 1) * ldc + n);
        int bCols = transB ? k : n, bRows = transB ? n : k;
        if (ldb < bCols) throw new IllegalArgumentException("ldb=" + ldb + " < " + bCols);
        need(b, "B", bOff, (long) (bRows - 1) * ldb + bCols);
    }

    /** k split into even blocks of at most KC. */
    private static int kStep(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /**
     * The blocked loop nest; A comes packed in {@code pre} (its rows from {@code preRow0}, a
     * multiple of MR) or is packed here from a.
     */
    private static void run(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, PackedA pre, int preRow0,
                            boolean transB, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        Buffers buf = BUFFERS.get();
        float[] pa = pre != null ? pre.data : buf.packA, pb = buf.packB;
        int kStep = kStep(k);
        boolean onePass = pre == null && m > MC && m <= MC_ONE_PASS;       // one m block (see MC_ONE_PASS)
        int ncStep = pre != null && m > MC ? NC_L2 : onePass ? NC_ONE_PASS : NC, mcStep = onePass ? m : MC;
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean add = accumulate || pc > 0;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb);
                for (int ic = 0; ic < m; ic += mcStep) {
                    int mc = Math.min(mcStep, m - ic);
                    int aBase = pre != null ? pc * pre.mPad + (preRow0 + ic) * kc : 0;
                    if (pre == null) packA(transA, a, aOff, lda, ic, mc, pc, kc, pa, 0);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bIdx = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            int aIdx = aBase + ir * kc;
                            if (nr > VL) {
                                if (mr == MR && nr == NR) MicroKernels.wide(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
                                else {
                                    MicroKernels.wide(kc, pa, aIdx, pb, bIdx, buf.tile, 0, NR, false);
                                    flush(buf.tile, NR, c, cIdx, ldc, mr, nr, add);
                                }
                            } else if (mr == MR && nr == VL) {
                                MicroKernels.narrow(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, add);
                            } else {
                                MicroKernels.narrow(kc, pa, aIdx, pb, bIdx, buf.tile, 0, NR, false);
                                flush(buf.tile, NR, c, cIdx, ldc, mr, nr, add);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * As {@link #sgemm}, with C split over the worker threads in whole micro-tiles (row slivers or
     * column panels, whichever there are more of). Small problems stay on the caller thread.
     *
     * @param transA whether op(A) is A transposed (A then stored k x m)
     * @param transB whether op(B) is B transposed (B then stored n x k)
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param a A, row-major
     * @param aOff where A starts in {@code a}
     * @param lda A's row stride (leading dimension)
     * @param b B, row-major
     * @param bOff where B starts in {@code b}
     * @param ldb B's row stride
     * @param c C, row-major, written (or added to)
     * @param cOff where C starts in {@code c}
     * @param ldc C's row stride
     * @param accumulate add to C instead of overwriting it
     */
    public static void sgemmParallel(boolean transA, boolean transB, int m, int n, int k,
                                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     float[] c, int cOff, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        int slivers = (m + MR - 1) / MR, panels = (n + NR - 1) / NR;
        boolean byRows = slivers >= panels;          // more units = better balance
        int units = byRows ? slivers : panels;
        if (m <= FEW_ROWS && !transA && (long) m * n * k >= PARALLEL_MIN / 8) {
            // Few rows: split C's columns in whole vectors (the unpacked path streams B once), in
            // claimed blocks (each column's sum does not depend on the cut), so a worker that
            // starts late or is descheduled holds the caller up by one block, not half the layer.
            int vecs = (n + VL - 1) / VL;
            if (Parallel.chunks(vecs, 1) > 1) {
                Parallel.forBlocks(vecs, 4 * Parallel.threads(), (block, from, to) -> {
                    int j0 = from * VL, j1 = Math.min(n, to * VL);
                    int bo = transB ? bOff + j0 * ldb : bOff + j0;
                    FewRows.gemm(transB, m, j1 - j0, k, a, aOff, lda, b, bo, ldb, c, cOff + j0, ldc, accumulate);
                });
                return;
            }
        }
        if ((long) m * n * k < PARALLEL_MIN || Parallel.chunks(units, 1) <= 1) {
            sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Parallel.forRange(units, 1, (chunk, from, to) -> {
            if (byRows) {
                int i0 = from * MR, i1 = Math.min(m, to * MR);
                int ao = transA ? aOff + i0 : aOff + i0 * lda;
                sgemm(transA, transB, i1 - i0, n, k, a, ao, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
            } else {
                int j0 = from * NR, j1 = Math.min(n, to * NR);
                int bo = transB ? bOff + j0 * ldb : bOff + j0;
                sgemm(transA, transB, m, j1 - j0, k, a, aOff, lda, b, bo, ldb, c, cOff + j0, ldc, accumulate);
            }
        });
    }

    /** Copies the valid mr x nr corner of an edge tile into C. */
    private static void flush(float[] tile, int ldt, float[] c, int cIdx, int ldc, int mr, int nr, boolean add) {
        for (int i = 0; i < mr; i++) {
            int t = i * ldt, ci = cIdx + i * ldc;
            if (add) for (int j = 0; j < nr; j++) c[ci + j] += tile[t + j];
            else System.arraycopy(tile, t, c, ci, nr);
        }
    }

    /**
     * Packs op(B)[pc..pc+kc, jc..jc+nc) into panels: panel jr holds kc rows of w floats, where w is
     * NR, or VL for a last panel of at most VL columns; columns past n are zero.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int w = nr > VL ? NR : VL;
            int dst = jr * kc, j0 = jc + jr;
            if (!transB) {
                // Vector copies, masked at the right edge (zero fill): tiny arraycopy calls cost more.
                int src = bOff + pc * ldb + j0;
                if (nr == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + VL).intoArray(pb, dst + VL);
                    }
                } else if (nr > VL) {
                    VectorMask<Float> tail = S.indexInRange(0, nr - VL);
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + VL, tail).intoArray(pb, dst + VL);
                    }
                } else {
                    VectorMask<Float> tail = S.indexInRange(0, nr);
                    for (int p = 0; p < kc; p++, src += ldb, dst += VL)
                        FloatVector.fromArray(S, b, src, tail).intoArray(pb, dst);
                }
            } else {
                // B stored n x k: each output column is a contiguous run along p.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (j0 + j) * ldb + pc, d = dst + j;
                    for (int p = 0; p < kc; p++, d += w) pb[d] = b[src + p];
                }
                for (int j = nr; j < w; j++)
                    for (int p = 0, d = dst + j; p < kc; p++, d += w) pb[d] = 0f;
            }
        }
    }

    /** Packs op(A)[ic..ic+mc, pc..pc+kc) into MR-row slivers, p-major inside; rows past m are zero. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] pa, int paOff) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = paOff + ir * kc, i0 = ic + ir;
            if (transA) {
                // A stored k x m: the MR values of one p are contiguous.
                int src = aOff + pc * lda + i0;
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    if (mr == MR) {             // scalar copies: a 6-float arraycopy is mostly call overhead
                        pa[dst] = a[src]; pa[dst + 1] = a[src + 1]; pa[dst + 2] = a[src + 2]; pa[dst + 3] = a[src + 3];
                        if (MR == 6) { pa[dst + 4] = a[src + 4]; pa[dst + 5] = a[src + 5]; }
                    } else {
                        for (int r = 0; r < mr; r++) pa[dst + r] = a[src + r];
                        for (int r = mr; r < MR; r++) pa[dst + r] = 0f;
                    }
                }
            } else if (mr == 6) {
                // Six read streams, one sequential write stream.
                int s0 = aOff + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
                for (int p = 0; p < kc; p++, dst += MR) {
                    pa[dst] = a[s0 + p]; pa[dst + 1] = a[s1 + p]; pa[dst + 2] = a[s2 + p];
                    pa[dst + 3] = a[s3 + p]; pa[dst + 4] = a[s4 + p]; pa[dst + 5] = a[s5 + p];
                }
            } else if (mr == MR && MR == 4) {
                int s0 = aOff + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                for (int p = 0; p < kc; p++, dst += MR) {
                    pa[dst] = a[s0 + p]; pa[dst + 1] = a[s1 + p]; pa[dst + 2] = a[s2 + p]; pa[dst + 3] = a[s3 + p];
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (i0 + r) * lda + pc, d = dst + r;
                    for (int p = 0; p < kc; p++, d += MR) pa[d] = a[src + p];
                }
                for (int r = mr; r < MR; r++)
                    for (int p = 0, d = dst + r; p < kc; p++, d += MR) pa[d] = 0f;
            }
        }
    }

    /** Unpacked scalar path for tiny products, where packing would cost more than the arithmetic. */
    private static void small(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s = Math.fma(av, bv, s);
                }
                c[crow + j] = accumulate ? c[crow + j] + s : s;
            }
        }
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        if (ldc < n) throw new IllegalArgumentException("ldc=" + ldc + " < n=" + n);
        need(c, "C", cOff, (long) (m - 1) * ldc + n);
        if (k == 0) return;
        int aCols = transA ? m : k, aRows = transA ? k : m;
        int bCols = transB ? k : n, bRows = transB ? n : k;
        if (lda < aCols) throw new IllegalArgumentException("lda=" + lda + " < " + aCols);
        if (ldb < bCols) throw new IllegalArgumentException("ldb=" + ldb + " < " + bCols);
        need(a, "A", aOff, (long) (aRows - 1) * lda + aCols);
        need(b, "B", bOff, (long) (bRows - 1) * ldb + bCols);
    }

    private static void need(float[] arr, String name, int off, long len) {
        if (off < 0 || off + len > arr.length)
            throw new IllegalArgumentException(name + " too small: offset " + off + " + " + len + " > length " + arr.length);
    }
}
