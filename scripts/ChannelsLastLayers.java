import dev.feint.tensor.kernels.*;
import dev.feint.tensor.Parallel;
import java.util.*;

/**
 * One-thread CPU time of Feint's channels-last inference convolution (ChannelsLastForward, weights
 * prepared once, clamp 0..6 as MobileNet's ReLU6) on single layers: median and best of ROUNDS rounds
 * after a 2 s warm-up. Each layer is "n c h o k stride groups" (square map h x h, pad k / 2, groups
 * 0 for depthwise); layers separated by ';'. Run with the bench jar on the class path:
 *
 *   java --add-modules jdk.incubator.vector -cp feint-bench/target/feint-bench.jar \
 *        scripts/ChannelsLastLayers.java "64 96 16 96 3 2 0; 1 16 16 96 1 1 1" 5
 */
public class ChannelsLastLayers {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    public static void main(String[] a) {
        Parallel.setThreads(1);
        String[] specs = a[0].split(";");
        int rounds = Integer.parseInt(a[1]);
        for (String spec : specs) {
            String[] f = spec.trim().split("\\s+");
            int n = Integer.parseInt(f[0]), c = Integer.parseInt(f[1]), h = Integer.parseInt(f[2]), o = Integer.parseInt(f[3]),
                k = Integer.parseInt(f[4]), s = Integer.parseInt(f[5]), grp = Integer.parseInt(f[6]);
            int groups = grp == 0 ? c : grp, pad = k / 2;
            ConvGeometry g = new ConvGeometry(n, c, h, h, o, k, k, s, s, pad, pad, pad, pad, 1, 1, groups);
            SplittableRandom r = new SplittableRandom(1);
            float[] x = new float[n * c * h * h], w = new float[o * (c / groups) * k * k], b = new float[o];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            float[] out = new float[n * o * g.outH() * g.outW()];
            PreparedConv p = PreparedConv.forward(g, w);
            long flops = 2L * n * g.outH() * g.outW() * o * (c / groups) * k * k;
            int calls = (int) Math.max(5, Math.min(20000, 4e8 / flops));
            double best = 1e18;
            long warmEnd = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmEnd) ChannelsLastForward.forward(g, x, true, w, b, 0f, 6f, out, p);
            double[] med = new double[rounds];
            for (int rd = 0; rd < rounds; rd++) {
                long t0 = MX.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) ChannelsLastForward.forward(g, x, true, w, b, 0f, 6f, out, p);
                med[rd] = (MX.getCurrentThreadCpuTime() - t0) / 1e3 / calls;
            }
            Arrays.sort(med);
            System.out.printf(Locale.ROOT, "%-28s %9.1f us (min %.1f)  %6.1f GFLOP/s%n", spec.trim(), med[rounds / 2], med[0], flops / med[0] / 1e3);
        }
    }
}
