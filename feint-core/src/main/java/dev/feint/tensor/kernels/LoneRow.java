package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A {@link ChannelsLastConv} call of one image's few pixel rows (a batch of one on a 1x1 or 2x2
 * output map: ResNet's last two stages on 32x32 inputs) as a product of sparse rows with the
 * weights, skipping the taps whose inputs are exactly zero. Such a call is bound by streaming the
 * weights from L3 (1-2.4 MB a layer, ~25 GB/s a core here), and after a ReLU a third to a half of
 * its inputs are zero. Skipping them in the plan's panel layout (128 bytes a tap per panel) saved
 * only an eighth of the time for half the taps: the L2 streamer fetches the skipped lines anyway.
 * Here the weights are packed again tap-major in groups of {@link #GROUP} output channels (one
 * row) or {@link #PAIR_GROUP} (several rows, taken two at a time: 16 accumulators either way), so
 * a skipped tap is 1 KB or 512 bytes of consecutive lines that are not read. Several rows skip a
 * tap only where both rows of a pair read a zero under it (padding included: on a 2x2 map a
 * corner tap reads real input for one pixel only); the second pair rereads the group's k block
 * from L2, not L3.
 *
 * <p>Same bits as {@link ChannelsLastConv}'s tiles: each output is the same FMA chain in tap
 * order over the same k blocks, minus products with a zero input. With finite weights such a
 * product is a signed zero, and adding a zero to a chain that starts at +0 never changes it
 * (round to nearest only makes -0 from -0 + -0, so the chain never holds -0; an underflow to -0
 * would need products below 2^-149). Plans with a non-finite weight (0 x inf is NaN) have no
 * lone-row form ({@link #of} is null).
 */
final class LoneRow {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
    /** Output channels per group of one row: 16 accumulators, leaving registers for the loads. */
    static final int GROUP = 16 * VL;
    /** Output channels per group of several rows: 8 vectors for each row of a pair. */
    static final int PAIR_GROUP = 8 * VL;
    /** Whether lone rows take this path; {@code -Dfeint.conv.loneRow=false} keeps the panel tiles. */
    static final boolean ENABLED = !"false".equals(System.getProperty("feint.conv.loneRow"));
    /** Whether several rows (a 2x2 map) take it too; {@code -Dfeint.conv.fewRows=false} keeps their panel tiles. */
    static final boolean FEW_ROWS = !"false".equals(System.getProperty("feint.conv.fewRows"));
    /** Per thread: the taps of a k block under which a row (or either row of a pair) reads a non-zero. */
    private static final ThreadLocal<int[][]> LIVE = ThreadLocal.withInitial(() -> new int[1][0]);

    final int groups, rows, width;
    /**
     * The runs [lo, hi) and the taps [t0, t1) of each that can read real input (the plan's lone
     * sliver's, {@link SliverOrder}): only those are packed, numbered (run - lo) * span + tap - t0
     * (on a 1x1 map a 3x3 kernel reads its centre tap only, so this is a ninth of the plan's taps).
     */
    final int lo, hi, t0, t1, span, taps;
    /** packed[group][packed tap][width lanes], the plan's panels regrouped. */
    final float[] packed;
    /** Per packed tap: its input offset from a row's receptive field (the plan's {@code tapOffset}). */
    final int[] tapOffset;

    private LoneRow(ChannelsLastConv.Plan plan, int rows) {
        this.rows = rows;
        SliverOrder order = plan.order;
        lo = order.runLo[0];
        hi = order.runHi[0];
        t0 = order.tapLo[0];
        t1 = order.tapHi[0];
        span = t1 - t0;
        taps = (hi - lo) * span;
        tapOffset = new int[taps];
        for (int q = 0; q < taps; q++) tapOffset[q] = plan.tapOffset[planTap(plan, q)];
        width = rows == 1 ? GROUP : PAIR_GROUP;
        groups = plan.oPad / width;
        packed = new float[groups * taps * width];
        int perGroup = width / ChannelsLastConv.NR, nr = ChannelsLastConv.NR;
        for (int panel = 0; panel < plan.panels; panel++) {
            int gi = panel / perGroup, lane0 = (panel % perGroup) * nr;
            for (int q = 0; q < taps; q++)
                System.arraycopy(plan.packed, (panel * plan.taps + planTap(plan, q)) * nr, packed, (gi * taps + q) * width + lane0, nr);
        }
    }

    /** {@return the first output channel of group gi (gi == groups: the padded channel count)} */
    int firstChannel(int gi) { return gi * width; }

    /** {@return the plan's tap of packed tap q} */
    private int planTap(ChannelsLastConv.Plan plan, int q) {
        return (lo + q / span) * plan.runLen + t0 + q % span;
    }

    /**
     * The form of plan's weights for calls of {@code rows} pixel rows (one sliver of
     * {@link ChannelsLastConv#MR} at most), or null where it does not apply (see the class comment).
     */
    static LoneRow of(ChannelsLastConv.Plan plan, int rows) {
        if (!ENABLED || rows < 1 || rows > ChannelsLastConv.MR || rows > 1 && !FEW_ROWS) return null;
        if (plan.oPad % (rows == 1 ? GROUP : PAIR_GROUP) != 0) return null;
        for (float v : plan.packed) if (!Float.isFinite(v)) return null;
        return new LoneRow(plan, rows);
    }

    /**
     * z[row][group's channels] = the sliver's rows (z rows oPad apart from 0), for groups [g0, g1):
     * k blocks of the plan's runs as {@link ChannelsLastConv}'s slivers take them, the first
     * overwriting z, the last adding the bias. {@code inOff + order.base[row]} is each row's input;
     * order is the plan's own (a call of one image), whose runs and taps were packed.
     */
    void groups(ChannelsLastConv.Plan plan, SliverOrder order, float[] in, int inOff, float[] z, int g0, int g1) {
        if (order != plan.order) throw new IllegalArgumentException("a lone-row call takes the plan's image-major order");
        int[] live = liveBuffer(Math.min(plan.runs, plan.runsPerBlock) * plan.runLen + VL);
        for (int r0 = 0; r0 < plan.runs; r0 += plan.runsPerBlock) {
            int r1 = Math.min(plan.runs, r0 + plan.runsPerBlock), a = Math.max(r0, lo), b = Math.min(r1, hi);
            if (a >= b) continue;
            if (rows == 1) {
                int i0 = inOff + order.base[0], n = liveTaps(plan, in, i0, i0, a, b, live);
                for (int gi = g0; gi < g1; gi++) block(plan, in, i0, live, n, a == lo, b == hi, gi, z, gi * GROUP);
                continue;
            }
            for (int p = 0; p < rows; p += 2) {
                // An odd last row is paired with itself; its twin goes to z row p + 1, past the real rows (z holds MR).
                int i0 = inOff + order.base[p], i1 = inOff + order.base[Math.min(p + 1, rows - 1)];
                int n = liveTaps(plan, in, i0, i1, a, b, live);
                for (int gi = g0; gi < g1; gi++)
                    pair(plan, in, i0, i1, live, n, a == lo, b == hi, gi, z, p * plan.oPad + gi * PAIR_GROUP, plan.oPad);
            }
        }
    }

    private static int[] liveBuffer(int n) {
        int[][] holder = LIVE.get();
        if (holder[0].length < n) holder[0] = new int[n];
        return holder[0];
    }

    /**
     * live[0 .. returned) = the packed taps q of runs [r0, r1) within [lo, hi) (taps [t0, t1) of each) where in[i0 + off]
     * or in[i1 + off] is not zero (off the tap's input offset), in order. A vector of taps at a
     * time, compressed: whether a tap is zero is a coin toss after a ReLU, and a branch per tap
     * mispredicted about as often as it was taken. live has {@link #VL} floats of slack.
     */
    private int liveTaps(ChannelsLastConv.Plan plan, float[] in, int i0, int i1, int r0, int r1, int[] live) {
        int n = 0;
        for (int r = r0; r < r1; r++) {
            int off = plan.runOffset[r], q0 = (r - lo) * span - t0, t = t0;
            for (; t <= t1 - VL; t += VL) {
                VectorMask<Float> m = FloatVector.fromArray(S, in, i0 + off + t).compare(VectorOperators.NE, 0f)
                        .or(FloatVector.fromArray(S, in, i1 + off + t).compare(VectorOperators.NE, 0f));
                IOTA.add(q0 + t).compress(m.cast(I)).intoArray(live, n);
                n += m.trueCount();
            }
            for (; t < t1; t++) {
                live[n] = q0 + t;
                n += (in[i0 + off + t] != 0f) | (in[i1 + off + t] != 0f) ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * As {@link #block} for two rows (inputs at i0, i1; z rows zIdx and zIdx + ldz) on a group of
     * {@link #PAIR_GROUP} channels, over the live taps only.
     */
    private void pair(ChannelsLastConv.Plan plan, float[] in, int i0, int i1, int[] live, int n, boolean first, boolean last,
                      int gi, float[] z, int zIdx, int ldz) {
        float[] pb = packed;
        int[] tapOffset = this.tapOffset;
        int w0 = gi * taps;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0, d4 = c0, d5 = c0, d6 = c0, d7 = c0;
        for (int k = 0; k < n; k++) {
            int q = live[k], off = tapOffset[q], bt = (w0 + q) * PAIR_GROUP;
            FloatVector av = FloatVector.broadcast(S, in[i0 + off]), bv = FloatVector.broadcast(S, in[i1 + off]);
            FloatVector wv = FloatVector.fromArray(S, pb, bt);
            c0 = av.fma(wv, c0); d0 = bv.fma(wv, d0);
            wv = FloatVector.fromArray(S, pb, bt + VL);
            c1 = av.fma(wv, c1); d1 = bv.fma(wv, d1);
            wv = FloatVector.fromArray(S, pb, bt + 2 * VL);
            c2 = av.fma(wv, c2); d2 = bv.fma(wv, d2);
            wv = FloatVector.fromArray(S, pb, bt + 3 * VL);
            c3 = av.fma(wv, c3); d3 = bv.fma(wv, d3);
            wv = FloatVector.fromArray(S, pb, bt + 4 * VL);
            c4 = av.fma(wv, c4); d4 = bv.fma(wv, d4);
            wv = FloatVector.fromArray(S, pb, bt + 5 * VL);
            c5 = av.fma(wv, c5); d5 = bv.fma(wv, d5);
            wv = FloatVector.fromArray(S, pb, bt + 6 * VL);
            c6 = av.fma(wv, c6); d6 = bv.fma(wv, d6);
            wv = FloatVector.fromArray(S, pb, bt + 7 * VL);
            c7 = av.fma(wv, c7); d7 = bv.fma(wv, d7);
        }
        // As block's epilogue, for both rows (written out for the same reason).
        float[] add = last ? plan.bias : plan.zeros;
        int bIdx = gi * PAIR_GROUP, y = zIdx + ldz;
        if (!first) {
            c0 = c0.add(FloatVector.fromArray(S, z, zIdx)); c1 = c1.add(FloatVector.fromArray(S, z, zIdx + VL));
            c2 = c2.add(FloatVector.fromArray(S, z, zIdx + 2 * VL)); c3 = c3.add(FloatVector.fromArray(S, z, zIdx + 3 * VL));
            c4 = c4.add(FloatVector.fromArray(S, z, zIdx + 4 * VL)); c5 = c5.add(FloatVector.fromArray(S, z, zIdx + 5 * VL));
            c6 = c6.add(FloatVector.fromArray(S, z, zIdx + 6 * VL)); c7 = c7.add(FloatVector.fromArray(S, z, zIdx + 7 * VL));
            d0 = d0.add(FloatVector.fromArray(S, z, y)); d1 = d1.add(FloatVector.fromArray(S, z, y + VL));
            d2 = d2.add(FloatVector.fromArray(S, z, y + 2 * VL)); d3 = d3.add(FloatVector.fromArray(S, z, y + 3 * VL));
            d4 = d4.add(FloatVector.fromArray(S, z, y + 4 * VL)); d5 = d5.add(FloatVector.fromArray(S, z, y + 5 * VL));
            d6 = d6.add(FloatVector.fromArray(S, z, y + 6 * VL)); d7 = d7.add(FloatVector.fromArray(S, z, y + 7 * VL));
        }
        FloatVector e = FloatVector.fromArray(S, add, bIdx);
        c0.add(e).intoArray(z, zIdx); d0.add(e).intoArray(z, y);
        e = FloatVector.fromArray(S, add, bIdx + VL);
        c1.add(e).intoArray(z, zIdx + VL); d1.add(e).intoArray(z, y + VL);
        e = FloatVector.fromArray(S, add, bIdx + 2 * VL);
        c2.add(e).intoArray(z, zIdx + 2 * VL); d2.add(e).intoArray(z, y + 2 * VL);
        e = FloatVector.fromArray(S, add, bIdx + 3 * VL);
        c3.add(e).intoArray(z, zIdx + 3 * VL); d3.add(e).intoArray(z, y + 3 * VL);
        e = FloatVector.fromArray(S, add, bIdx + 4 * VL);
        c4.add(e).intoArray(z, zIdx + 4 * VL); d4.add(e).intoArray(z, y + 4 * VL);
        e = FloatVector.fromArray(S, add, bIdx + 5 * VL);
        c5.add(e).intoArray(z, zIdx + 5 * VL); d5.add(e).intoArray(z, y + 5 * VL);
        e = FloatVector.fromArray(S, add, bIdx + 6 * VL);
        c6.add(e).intoArray(z, zIdx + 6 * VL); d6.add(e).intoArray(z, y + 6 * VL);
        e = FloatVector.fromArray(S, add, bIdx + 7 * VL);
        c7.add(e).intoArray(z, zIdx + 7 * VL); d7.add(e).intoArray(z, y + 7 * VL);
    }

    /** One row (input at i0, z row zIdx) on a group of {@link #GROUP} channels, over the live taps only. */
    private void block(ChannelsLastConv.Plan plan, float[] in, int i0, int[] live, int n, boolean first, boolean last,
                       int gi, float[] z, int zIdx) {
        float[] pb = packed;
        int[] tapOffset = this.tapOffset;
        int w0 = gi * taps;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int k = 0; k < n; k++) {
            int q = live[k], bt = (w0 + q) * GROUP;
            FloatVector av = FloatVector.broadcast(S, in[i0 + tapOffset[q]]);
            c0 = av.fma(FloatVector.fromArray(S, pb, bt), c0);
            c1 = av.fma(FloatVector.fromArray(S, pb, bt + VL), c1);
            c2 = av.fma(FloatVector.fromArray(S, pb, bt + 2 * VL), c2);
            c3 = av.fma(FloatVector.fromArray(S, pb, bt + 3 * VL), c3);
            c4 = av.fma(FloatVector.fromArray(S, pb, bt + 4 * VL), c4);
            c5 = av.fma(FloatVector.fromArray(S, pb, bt + 5 * VL), c5);
            c6 = av.fma(FloatVector.fromArray(S, pb, bt + 6 * VL), c6);
            c7 = av.fma(FloatVector.fromArray(S, pb, bt + 7 * VL), c7);
            c8 = av.fma(FloatVector.fromArray(S, pb, bt + 8 * VL), c8);
            c9 = av.fma(FloatVector.fromArray(S, pb, bt + 9 * VL), c9);
            c10 = av.fma(FloatVector.fromArray(S, pb, bt + 10 * VL), c10);
            c11 = av.fma(FloatVector.fromArray(S, pb, bt + 11 * VL), c11);
            c12 = av.fma(FloatVector.fromArray(S, pb, bt + 12 * VL), c12);
            c13 = av.fma(FloatVector.fromArray(S, pb, bt + 13 * VL), c13);
            c14 = av.fma(FloatVector.fromArray(S, pb, bt + 14 * VL), c14);
            c15 = av.fma(FloatVector.fromArray(S, pb, bt + 15 * VL), c15);
        }
        // As the panel tiles: earlier blocks' sum comes back through z, the bias is added on the last block.
        // Written out: handed to a helper as vector arguments, vectors were boxed (tile4Run's comment).
        float[] add = last ? plan.bias : plan.zeros;
        int bIdx = gi * GROUP;
        if (!first) c0 = c0.add(FloatVector.fromArray(S, z, zIdx));
        c0.add(FloatVector.fromArray(S, add, bIdx)).intoArray(z, zIdx);
        if (!first) c1 = c1.add(FloatVector.fromArray(S, z, zIdx + VL));
        c1.add(FloatVector.fromArray(S, add, bIdx + VL)).intoArray(z, zIdx + VL);
        if (!first) c2 = c2.add(FloatVector.fromArray(S, z, zIdx + 2 * VL));
        c2.add(FloatVector.fromArray(S, add, bIdx + 2 * VL)).intoArray(z, zIdx + 2 * VL);
        if (!first) c3 = c3.add(FloatVector.fromArray(S, z, zIdx + 3 * VL));
        c3.add(FloatVector.fromArray(S, add, bIdx + 3 * VL)).intoArray(z, zIdx + 3 * VL);
        if (!first) c4 = c4.add(FloatVector.fromArray(S, z, zIdx + 4 * VL));
        c4.add(FloatVector.fromArray(S, add, bIdx + 4 * VL)).intoArray(z, zIdx + 4 * VL);
        if (!first) c5 = c5.add(FloatVector.fromArray(S, z, zIdx + 5 * VL));
        c5.add(FloatVector.fromArray(S, add, bIdx + 5 * VL)).intoArray(z, zIdx + 5 * VL);
        if (!first) c6 = c6.add(FloatVector.fromArray(S, z, zIdx + 6 * VL));
        c6.add(FloatVector.fromArray(S, add, bIdx + 6 * VL)).intoArray(z, zIdx + 6 * VL);
        if (!first) c7 = c7.add(FloatVector.fromArray(S, z, zIdx + 7 * VL));
        c7.add(FloatVector.fromArray(S, add, bIdx + 7 * VL)).intoArray(z, zIdx + 7 * VL);
        if (!first) c8 = c8.add(FloatVector.fromArray(S, z, zIdx + 8 * VL));
        c8.add(FloatVector.fromArray(S, add, bIdx + 8 * VL)).intoArray(z, zIdx + 8 * VL);
        if (!first) c9 = c9.add(FloatVector.fromArray(S, z, zIdx + 9 * VL));
        c9.add(FloatVector.fromArray(S, add, bIdx + 9 * VL)).intoArray(z, zIdx + 9 * VL);
        if (!first) c10 = c10.add(FloatVector.fromArray(S, z, zIdx + 10 * VL));
        c10.add(FloatVector.fromArray(S, add, bIdx + 10 * VL)).intoArray(z, zIdx + 10 * VL);
        if (!first) c11 = c11.add(FloatVector.fromArray(S, z, zIdx + 11 * VL));
        c11.add(FloatVector.fromArray(S, add, bIdx + 11 * VL)).intoArray(z, zIdx + 11 * VL);
        if (!first) c12 = c12.add(FloatVector.fromArray(S, z, zIdx + 12 * VL));
        c12.add(FloatVector.fromArray(S, add, bIdx + 12 * VL)).intoArray(z, zIdx + 12 * VL);
        if (!first) c13 = c13.add(FloatVector.fromArray(S, z, zIdx + 13 * VL));
        c13.add(FloatVector.fromArray(S, add, bIdx + 13 * VL)).intoArray(z, zIdx + 13 * VL);
        if (!first) c14 = c14.add(FloatVector.fromArray(S, z, zIdx + 14 * VL));
        c14.add(FloatVector.fromArray(S, add, bIdx + 14 * VL)).intoArray(z, zIdx + 14 * VL);
        if (!first) c15 = c15.add(FloatVector.fromArray(S, z, zIdx + 15 * VL));
        c15.add(FloatVector.fromArray(S, add, bIdx + 15 * VL)).intoArray(z, zIdx + 15 * VL);
    }
}
