package dev.feint.tensor.kernels;

import java.util.*;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct kernel's sliver loop alone (no Parallel, no layout copies): one resnet18 batch-1 conv
 * geometry, a padded channels-last input made once. Times (us, medians): both panels on one thread,
 * one panel on one thread, and the two panels on two plain threads at once (a spin barrier per
 * call), the second thread reading either the same input as the first or a private copy (cross-core
 * transfer of the input written by the other core or not). Args: c h o k stride pad calls.
 */
public class KHarness {
    static volatile int go, done;

    public static void main(String[] a) throws Exception {
        int c = Integer.parseInt(a[0]), h = Integer.parseInt(a[1]), o = Integer.parseInt(a[2]), k = Integer.parseInt(a[3]),
            s = Integer.parseInt(a[4]), p = Integer.parseInt(a[5]), calls = Integer.parseInt(a[6]);
        ConvGeometry g = new ConvGeometry(1, c, h, h, o, k, k, s, s, p, p, 1, 1);
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[o * c * k * k], b = new float[o];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        ChannelsLastConv.Plan plan = new ChannelsLastConv.Plan(g, w, b, ChannelsLastConv.Plan.imagesPerCall(g));
        float[] in = new float[plan.imageSize * plan.images];
        for (int y = 0; y < h; y++) for (int x = 0; x < h; x++) for (int ch = 0; ch < c; ch++)
            in[((y + p) * plan.wp + x + p) * c + ch] = r.nextBoolean() ? 0f : (float) r.nextDouble();
        float[] in2 = in.clone(), in3 = in.clone();
        int rows = plan.pixels, panels = plan.panels;
        float[] z = new float[plan.zSize()], z2 = new float[plan.zSize()];
        long[] t = new long[calls];
        System.out.printf(Locale.ROOT, "geometry c%d %dx%d o%d k%d s%d: panels %d, pixels %d, slivers %d, runs %d x %d taps, runsPerBlock %d%n",
            c, h, h, o, k, s, panels, rows, plan.slivers, plan.runs, plan.runLen, plan.runsPerBlock);
        // the whole call as ChannelsLastForward makes it (layout copy, Parallel split), input [h][w][c]
        float[] xcl = new float[c * h * h];
        for (int i = 0; i < xcl.length; i++) xcl[i] = r.nextBoolean() ? 0f : (float) r.nextDouble();
        for (int threads = 1; threads <= 2; threads++) {
            dev.feint.tensor.Parallel.setThreads(threads);
            for (int rep = 0; rep < 2; rep++) {
                for (int i = 0; i < calls; i++) { long t0 = System.nanoTime(); ChannelsLastConv.image(plan, xcl, true, 0, 1, z, true); t[i] = System.nanoTime() - t0; }
                print("ChannelsLastConv.image, threads " + threads, t);
            }
        }
        // the panel split through Parallel.forBlocks on the padded input (no layout copy), each block timed
        long[][] blk = new long[2][calls];
        final int[] who = new int[calls];
        for (int rep = 0; rep < 2; rep++) {
            for (int i = 0; i < calls; i++) {
                int ii = i;
                long t0 = System.nanoTime();
                dev.feint.tensor.Parallel.forBlocks(panels, 2, (block, from, to) -> {
                    long b0 = System.nanoTime();
                    ChannelsLastConv.multiply(plan, rows, in, 0, z, 0, from, to);
                    blk[block][ii] = System.nanoTime() - b0;
                    if (block == 1 && !Thread.currentThread().getName().startsWith("feint-worker")) who[ii] = 1;
                });
                t[i] = System.nanoTime() - t0;
            }
            print("Parallel.forBlocks(panels, 2) over multiply", t);
            print("   block 0", blk[0]);
            print("   block 1", blk[1]);
            int byCaller = 0; for (int q : who) byCaller += q; Arrays.fill(who, 0);
            System.out.println("   block 1 run by the caller in " + byCaller + " of " + calls);
        }
        for (int rep = 0; rep < 2; rep++) {
            for (int i = 0; i < calls; i++) { long t0 = System.nanoTime(); ChannelsLastConv.multiply(plan, rows, in, 0, z, 0, 0, panels); t[i] = System.nanoTime() - t0; }
            print("all panels, 1 thread", t);
            for (int i = 0; i < calls; i++) { long t0 = System.nanoTime(); ChannelsLastConv.multiply(plan, rows, in, 0, z, 0, 0, panels / 2); t[i] = System.nanoTime() - t0; }
            print("half the panels, 1 thread", t);
            for (int mode = 0; mode < 3; mode++) {
                boolean shared = mode != 1;
                float[] inB = shared ? in : in3, zB = mode == 2 ? z : z2;
                long[] tb = new long[calls];
                go = 0; done = 0;
                Thread other = new Thread(() -> {
                    for (int i = 1; i <= calls; i++) {
                        while (go < i) Thread.onSpinWait();
                        long t0 = System.nanoTime();
                        ChannelsLastConv.multiply(plan, rows, inB, 0, zB, 0, panels / 2, panels);
                        tb[i - 1] = System.nanoTime() - t0;
                        done = i;
                    }
                });
                other.start();
                for (int i = 1; i <= calls; i++) {
                    // the caller rewrites its input each call, as a layer's output written just before (shared: the other core must fetch it)
                    if (shared) System.arraycopy(in2, 0, in, 0, in.length);
                    long t0 = System.nanoTime();
                    go = i;
                    ChannelsLastConv.multiply(plan, rows, in, 0, z, 0, 0, panels / 2);
                    long t1 = System.nanoTime();
                    while (done < i) Thread.onSpinWait();
                    if (mode == 2) { float sum = 0; for (int q = 0; q < rows * plan.oPad; q += 16) sum += z[q]; sink += sum; }
                    t[i - 1] = System.nanoTime() - t0;
                    tb[i - 1] = tb[i - 1];
                    if (i == calls) break;
                }
                other.join();
                print("two threads (" + new String[] {"shared input", "private input", "shared input, one z read after"}[mode] + "), whole", t);
                print("   the other thread's half", tb);
            }
        }
    }

    static float sink;

    static void print(String what, long[] t) {
        long[] v = t.clone(); Arrays.sort(v);
        System.out.printf(Locale.ROOT, "%-44s median %7.2f us  p10 %7.2f  p90 %7.2f%n", what, v[v.length / 2] / 1e3, v[v.length / 10] / 1e3, v[v.length * 9 / 10] / 1e3);
    }
}
