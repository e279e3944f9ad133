package dev.feint.bench;

import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;

/**
 * Feint's madry-cnn forward alone, as the scaling table runs it (a FrozenWeights scope), at one batch
 * size and thread count: per round a 200 ms pause, then >= 300 ms of calls timed. Prints each round's
 * img/s, to see whether the 32 x 2 row's low runs are per JVM (a compile) or per round (the host).
 * Args: batch threads rounds [pauseMs blockMs [all]] (default 200 300; the scaling table's turns are 60 34; with
 * "all", every row of the scaling table, batch 1/32/128/512 on 1 and 2 threads, is warmed first, as the bench does). Classpath: feint.jar and feint-bench.jar, this class compiled beside them.
 */
public class B32 {
    public static void main(String[] a) throws Exception {
        int b = Integer.parseInt(a[0]), t = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        long pause = a.length > 3 ? Long.parseLong(a[3]) : 200, block = (a.length > 4 ? Long.parseLong(a[4]) : 300) * 1_000_000L;
        Parallel.setThreads(t);
        var net = SideBySide.network();
        if (a.length > 5 && a[5].equals("all"))
            try (var frozen = FrozenWeights.open()) {
                for (int tt : new int[] {1, 2})
                    for (int bb : new int[] {1, 32, 128, 512}) {
                        Parallel.setThreads(tt);
                        float[] xx = SideBySide.images(bb, 7);
                        for (long end = System.nanoTime() + 1_500_000_000L; System.nanoTime() < end; ) SideBySide.feintLogits(net, xx, bb);
                    }
            }
        Parallel.setThreads(t);
        float[] x = SideBySide.images(b, 7);
        StringBuilder s = new StringBuilder();
        try (var frozen = FrozenWeights.open()) {
            for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) SideBySide.feintLogits(net, x, b);
            for (int r = 0; r < rounds; r++) {
                Thread.sleep(pause);
                long t0 = System.nanoTime(), t1;
                int calls = 0;
                do { SideBySide.feintLogits(net, x, b); calls++; } while ((t1 = System.nanoTime()) - t0 < block);
                s.append(String.format(" %.0f", calls * (double) b * 1e9 / (t1 - t0)));
            }
        }
        System.out.println("batch " + b + " threads " + t + " pause " + pause + " ms block " + block / 1_000_000 + " ms:" + s);
    }
}
