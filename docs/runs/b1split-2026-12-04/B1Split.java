package dev.feint.bench;

import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.ParallelTrace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * b1split: madry-cnn's batch-1 forward (as the bench runs it: SideBySide.feintLogits under FrozenWeights), alone,
 * back to back; per forward the forRange calls ParallelTrace recorded (run with -Dfeint.parallel.trace=true), grouped by
 * their index within the forward: how long each took, how it ran, the caller's share, the worker's start after
 * publishing, the caller's wait for a started worker chunk; and the forward's own time. Args: threads calls.
 */
public class B1Split {
    public static void main(String[] a) throws Exception {
        int th = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]);
        int b = Integer.getInteger("b", 1);
        Parallel.setThreads(th);
        var net = SideBySide.network();
        net.eval();
        float[] x = SideBySide.images(b, 7);
        try (var frozen = FrozenWeights.open()) {
            for (int i = 0; i < 3000; i++) SideBySide.feintLogits(net, x, b);
            float[] ref = SideBySide.feintLogits(net, x, b);
            int bits = 0;
            for (float v : ref) bits = 31 * bits + Float.floatToRawIntBits(v);
            System.out.printf(Locale.ROOT, "threads %d batch %d logits hash %08x%n", th, b, bits);
            for (int round = 0; round < 3; round++) {
                ParallelTrace.drain();
                long[] st = new long[calls], en = new long[calls];
                for (int i = 0; i < calls; i++) {
                    st[i] = System.nanoTime();
                    SideBySide.feintLogits(net, x, b);
                    en[i] = System.nanoTime();
                }
                long[][] ev = ParallelTrace.drain();
                double[] fwd = new double[calls];
                for (int i = 0; i < calls; i++) fwd[i] = (en[i] - st[i]) / 1e3;
                // group events by forward and index
                List<List<long[]>> byIdx = new ArrayList<>();
                int e = 0;
                double[] outside = new double[calls];
                int[] perFwd = new int[calls];
                for (int i = 0; i < calls; i++) {
                    int k = 0;
                    long inSplit = 0;
                    while (e < ev.length && ev[e][1] < st[i]) e++;
                    while (e < ev.length && ev[e][2] <= en[i]) {
                        while (byIdx.size() <= k) byIdx.add(new ArrayList<>());
                        byIdx.get(k).add(ev[e]);
                        inSplit += ev[e][2] - ev[e][1];
                        k++; e++;
                    }
                    perFwd[i] = k;
                    outside[i] = (en[i] - st[i] - inSplit) / 1e3;
                }
                Arrays.sort(fwd);
                System.out.printf(Locale.ROOT, "round %d: forward p10 %.1f p50 %.1f p90 %.1f us (%.0f img/s at p50); split calls per forward %d-%d; time outside splits p50 %.1f us%n",
                        round, fwd[calls / 10], fwd[calls / 2], fwd[calls * 9 / 10], b * 1e6 / fwd[calls / 2],
                        Arrays.stream(perFwd).min().getAsInt(), Arrays.stream(perFwd).max().getAsInt(), med(outside));
                for (int k = 0; k < byIdx.size(); k++) {
                    List<long[]> l = byIdx.get(k);
                    double[] dur = new double[l.size()], ws = new double[l.size()], aw = new double[l.size()];
                    int split = 0, alone = 0, chunks = 0, mine = 0, nws = 0;
                    for (int j = 0; j < l.size(); j++) {
                        long[] r = l.get(j);
                        dur[j] = (r[2] - r[1]) / 1e3;
                        if (r[0] == ParallelTrace.SPLIT) split++; else alone++;
                        chunks += r[3]; mine += r[4];
                        if (r[5] != 0) ws[nws++] = (r[5] - r[1]) / 1e3;
                        aw[j] = r[6] / 1e3;
                    }
                    System.out.printf(Locale.ROOT, "  call %d: n %d split %d alone %d chunks/call %.1f caller share %.2f dur p50 %.1f p90 %.1f us, worker start p50 %.1f us, caller await p50 %.1f p90 %.1f us%n",
                            k, l.size(), split, alone, chunks / (double) l.size(), mine / (double) Math.max(1, chunks),
                            med(dur), pct(dur, 0.9), nws > 0 ? med(Arrays.copyOf(ws, nws)) : -1, med(aw), pct(aw, 0.9));
                }
            }
        }
        System.exit(0);
    }
    static double med(double[] v) { return pct(v, 0.5); }
    static double pct(double[] v, double p) { if (v.length == 0) return -1; double[] c = v.clone(); Arrays.sort(c); return c[(int) (c.length * p)]; }
}
