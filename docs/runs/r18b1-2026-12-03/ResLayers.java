import dev.feint.tensor.kernels.*;
import dev.feint.tensor.Parallel;
import java.util.*;

/** resnet18 batch-1 conv layers alone: 1-thread CPU time and 2-thread wall, median of rounds. */
public class ResLayers {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String ALL = "stem 3 32 64 7 2; l1 64 8 64 3 1; l2c1 64 8 128 3 2; l2ds 64 8 128 1 2; l2 128 4 128 3 1; l3c1 128 4 256 3 2; l3ds 128 4 256 1 2; l3 256 2 256 3 1; l4c1 256 2 512 3 2; l4ds 256 2 512 1 2; l4 512 1 512 3 1";
    public static void main(String[] a) {
        String[] specs = (a.length > 0 && !a[0].isEmpty() ? a[0] : ALL).split(";");
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 9;
        for (String spec : specs) {
            String[] f = spec.trim().split("\\s+");
            String name = f[0];
            int c = Integer.parseInt(f[1]), h = Integer.parseInt(f[2]), o = Integer.parseInt(f[3]), k = Integer.parseInt(f[4]), s = Integer.parseInt(f[5]);
            int pad = k / 2;
            ConvGeometry g = new ConvGeometry(1, c, h, h, o, k, k, s, s, pad, pad, pad, pad, 1, 1, 1);
            SplittableRandom r = new SplittableRandom(1);
            float[] x = new float[c * h * h], w = new float[o * c * k * k], b = new float[o];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            float[] out = new float[o * g.outH() * g.outW()];
            boolean cl = c > 3;
            PreparedConv p = PreparedConv.forward(g, w);
            int calls = 2000;
            double[] res = new double[2];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                long warmEnd = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < warmEnd) ChannelsLastForward.forward(g, x, cl, w, b, 0f, Float.POSITIVE_INFINITY, out, p);
                double[] med = new double[rounds];
                for (int rd = 0; rd < rounds; rd++) {
                    long t0 = t == 1 ? MX.getCurrentThreadCpuTime() : System.nanoTime();
                    for (int i = 0; i < calls; i++) ChannelsLastForward.forward(g, x, cl, w, b, 0f, Float.POSITIVE_INFINITY, out, p);
                    med[rd] = ((t == 1 ? MX.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e3 / calls;
                }
                Arrays.sort(med);
                res[t - 1] = med[rounds / 2];
            }
            long macs = (long) g.outH() * g.outW() * o * c * k * k;
            System.out.printf(Locale.ROOT, "%-5s %-22s 1t cpu %7.1f us (%5.1f GMAC/s)   2t wall %7.1f us%n", name, spec.trim().substring(name.length()).trim(), res[0], macs / res[0] / 1e3, res[1]);
        }
    }
}
