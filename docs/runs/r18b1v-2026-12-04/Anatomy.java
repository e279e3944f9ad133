package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import java.util.*;

/**
 * The anatomy of one batch-1 channels-last conv call on 2 threads, replayed step by step as
 * ChannelsLastConv.image + ChannelsLastForward.store make it (padded copy, Parallel.forBlocks by
 * panels, the block's own store): per call, each step's end (us after the call's start) and each
 * block's start/end and thread, medians. Args: c h o k stride pad calls zmode(shared|own) storeIn(block|after).
 */
public class Anatomy {
    public static void main(String[] a) throws Exception {
        int c = Integer.parseInt(a[0]), h = Integer.parseInt(a[1]), o = Integer.parseInt(a[2]), k = Integer.parseInt(a[3]),
            s = Integer.parseInt(a[4]), p = Integer.parseInt(a[5]), calls = Integer.parseInt(a[6]);
        boolean ownZ = !a[7].equals("shared"), storeInBlock = a[8].equals("block"), priv = a[7].equals("private");
        Parallel.setThreads(2);
        ConvGeometry g = new ConvGeometry(1, c, h, h, o, k, k, s, s, p, p, 1, 1);
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[o * c * k * k], b = new float[o];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        ChannelsLastConv.Plan plan = new ChannelsLastConv.Plan(g, w, b, 1);
        float[] x = new float[c * h * h];
        for (int i = 0; i < x.length; i++) x[i] = r.nextBoolean() ? 0f : (float) r.nextDouble();
        float[] in = new float[plan.imageSize], z = ChannelsLastConv.z(plan), out = new float[g.outH() * g.outW() * o];
        // "private": the worker's block reads its own copy of the padded input (made once) and stores into its own out
        float[] inW = new float[plan.imageSize], outW = new float[out.length];
        ChannelsLastConv.zeroBorder(inW, 0, g.padTop(), g.padLeft(), h, h, plan.hp, plan.wp, c);
        for (int y = 0; y < h; y++) System.arraycopy(x, y * h * c, inW, ((y + g.padTop()) * plan.wp + g.padLeft()) * c, h * c);
        int rows = plan.pixels, panels = plan.panels, ld = plan.oPad, NR = ChannelsLastConv.NR;
        long[][] ev = new long[8][calls];   // copy end, b0 start, b0 end, b1 start, b1 end, split end, store end, b1 by worker
        for (int rep = 0; rep < 3; rep++) {
            for (int i = 0; i < calls; i++) {
                int ii = i;
                long t0 = System.nanoTime();
                ChannelsLastConv.zeroBorder(in, 0, g.padTop(), g.padLeft(), h, h, plan.hp, plan.wp, c);
                for (int y = 0; y < h; y++) System.arraycopy(x, y * h * c, in, ((y + g.padTop()) * plan.wp + g.padLeft()) * c, h * c);
                ev[0][i] = System.nanoTime() - t0;
                Parallel.forBlocks(panels, Math.min(panels, 8), (block, from, to) -> {
                    long b0 = System.nanoTime();
                    float[] zb = ownZ ? ChannelsLastConv.z(plan) : z;
                    boolean mine = priv && Thread.currentThread().getName().startsWith("feint-worker");
                    ChannelsLastConv.multiply(plan, rows, mine ? inW : in, 0, zb, 0, from, to);
                    if (storeInBlock) ChannelsLastForward.store(zb, 0, ld, rows, mine ? outW : out, 0, o, from * NR, Math.min(o, to * NR), 0f, Float.POSITIVE_INFINITY);
                    long b1 = System.nanoTime();
                    if (block < 2) { ev[1 + 2 * block][ii] = b0 - t0; ev[2 + 2 * block][ii] = b1 - t0; }
                    if (block == 1) ev[7][ii] = Thread.currentThread().getName().startsWith("feint-worker") ? 1 : 0;
                });
                ev[5][i] = System.nanoTime() - t0;
                if (!storeInBlock) ChannelsLastForward.store(z, 0, ld, rows, out, 0, o, 0, o, 0f, Float.POSITIVE_INFINITY);
                ev[6][i] = System.nanoTime() - t0;
            }
            Thread.sleep(20);
        }
        String[] names = {"copy end", "block 0 start", "block 0 end", "block 1 start", "block 1 end", "split end", "store end (call)"};
        System.out.printf(Locale.ROOT, "c%d %dx%d o%d k%d s%d, z %s, store %s; block 1 on the worker in %d of %d calls%n", c, h, h, o, k, s,
            a[7], a[8], Arrays.stream(ev[7]).sum(), calls);
        for (int q = 0; q < 7; q++) {
            long[] v = ev[q].clone(); Arrays.sort(v);
            System.out.printf(Locale.ROOT, "  %-18s median %7.2f us  p10 %7.2f  p90 %7.2f%n", names[q], v[calls / 2] / 1e3, v[calls / 10] / 1e3, v[calls * 9 / 10] / 1e3);
        }
    }
}
