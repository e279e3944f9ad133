package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A {@link ChannelsLastConv} call of one real pixel row (a batch of one on a 1x1 output map:
 * ResNet's last stage on 32x32 inputs) as a product of a sparse row with the weights, skipping
 * the taps whose input is exactly zero. Such a call is bound by streaming the weights from L3
 * (1-2 MB a layer, ~25 GB/s a core here), and after a ReLU a third to a half of its inputs are
 * zero. Skipping them in the plan's panel layout (128 bytes a tap per panel) saved only an eighth
 * of the time for half the taps: the L2 streamer fetches the skipped lines anyway. Here the
 * weights are packed again tap-major in groups of {@link #GROUP} output channels, so a skipped tap
 * is 1 KB of consecutive lines that are not read.
 *
 * <p>Same bits as {@link ChannelsLastConv}'s single-row tiles: each output is the same FMA chain
 * in tap order over the same k blocks, minus products with a zero input. With finite weights
 * such a product is a signed zero, and adding a zero to a chain that starts at +0 never changes
 * it (round to nearest only makes -0 from -0 + -0, so the chain never holds -0). Plans with a
 * non-finite weight (0 x inf is NaN) have no lone-row form ({@link #of} is null).
 */
final class LoneRow {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Output channels per group: 16 accumulators, leaving registers for the loads. */
    static final int GROUP = 16 * VL;
    /** Whether lone rows take this path; {@code -Dfeint.conv.loneRow=false} keeps the panel tiles. */
    static final boolean ENABLED = !"false".equals(System.getProperty("feint.conv.loneRow"));

    final int groups, taps;
    /** packed[group][tap][GROUP lanes], the plan's panels regrouped. */
    final float[] packed;

    private LoneRow(ChannelsLastConv.Plan plan) {
        taps = plan.taps;
        groups = plan.oPad / GROUP;
        packed = new float[groups * taps * GROUP];
        int perGroup = GROUP / ChannelsLastConv.NR, nr = ChannelsLastConv.NR;
        for (int panel = 0; panel < plan.panels; panel++) {
            int gi = panel / perGroup, lane0 = (panel % perGroup) * nr;
            for (int q = 0; q < taps; q++)
                System.arraycopy(plan.packed, (panel * taps + q) * nr, packed, (gi * taps + q) * GROUP + lane0, nr);
        }
    }

    /** The lone-row form of plan's weights, or null where it does not apply (see the class comment). */
    static LoneRow of(ChannelsLastConv.Plan plan) {
        if (!ENABLED || plan.oPad % GROUP != 0) return null;
        for (float v : plan.packed) if (!Float.isFinite(v)) return null;
        return new LoneRow(plan);
    }

    /**
     * z[zIdx + group's channels] = the sliver's row, for groups [g0, g1): k blocks of the plan's
     * runs as {@link ChannelsLastConv}'s slivers take them, the first overwriting z, the last adding the bias.
     */
    void groups(ChannelsLastConv.Plan plan, SliverOrder order, float[] in, int a0, float[] z, int zIdx, int g0, int g1) {
        int lo = order.runLo[0], hi = order.runHi[0], t0 = order.tapLo[0], t1 = order.tapHi[0];
        for (int r0 = 0; r0 < plan.runs; r0 += plan.runsPerBlock) {
            int r1 = Math.min(plan.runs, r0 + plan.runsPerBlock), a = Math.max(r0, lo), b = Math.min(r1, hi);
            if (a >= b) continue;
            for (int gi = g0; gi < g1; gi++)
                block(plan, in, a0, a, b, t0, t1, a == lo, b == hi, gi, z, zIdx + gi * GROUP);
        }
    }

    private void block(ChannelsLastConv.Plan plan, float[] in, int a0, int r0, int r1, int t0, int t1, boolean first, boolean last,
                       int gi, float[] z, int zIdx) {
        float[] pb = packed;
        int runLen = plan.runLen;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int r = r0; r < r1; r++) {
            int i0 = a0 + plan.runOffset[r], bi = (gi * taps + r * runLen) * GROUP;
            for (int t = t0; t < t1; t++) {
                float a = in[i0 + t];
                if (a == 0f) continue;
                FloatVector av = FloatVector.broadcast(S, a);
                int bt = bi + t * GROUP;
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
