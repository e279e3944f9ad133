import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

/**
 * One resnet18 batch-1 convolution alone, channels-last in and out, prepared weights, ReLU clamp:
 * median us per call over blocks. Args: threads name c h o k stride pad [calls].
 * Inputs half zeros (as after a ReLU); prints a checksum of the output bits.
 */
public class ConvBench {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        String name = a[1];
        int c = Integer.parseInt(a[2]), h = Integer.parseInt(a[3]), o = Integer.parseInt(a[4]), k = Integer.parseInt(a[5]),
            s = Integer.parseInt(a[6]), p = Integer.parseInt(a[7]), calls = a.length > 8 ? Integer.parseInt(a[8]) : 4000;
        Parallel.setThreads(threads);
        ConvGeometry g = new ConvGeometry(1, c, h, h, o, k, k, s, s, p, p, 1, 1);
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[c * h * h], w = new float[o * c * k * k], b = new float[o];
        for (int i = 0; i < x.length; i++) x[i] = r.nextBoolean() ? 0f : (float) r.nextDouble();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        for (int i = 0; i < o; i++) b[i] = (float) r.nextGaussian() * 0.1f;
        float[] out = new float[o * g.outH() * g.outW()];
        PreparedConv pc = PreparedConv.forward(g, w);
        long[] t = new long[calls];
        for (int rep = 0; rep < 3; rep++) {
            if (dev.feint.tensor.ParallelTrace.ENABLED) dev.feint.tensor.ParallelTrace.drain();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                ChannelsLastForward.forward(g, x, true, w, b, 0f, Float.POSITIVE_INFINITY, out, pc);
                t[i] = System.nanoTime() - t0;
            }
            Thread.sleep(50);
        }
        if (dev.feint.tensor.ParallelTrace.ENABLED) {
            long[][] ev = dev.feint.tensor.ParallelTrace.drain();
            int n = ev.length; long[] dur = new long[n], ws = new long[n], aw = new long[n]; int split = 0, byCaller = 0, noHelp = 0;
            for (int i = 0; i < n; i++) {
                dur[i] = ev[i][2] - ev[i][1]; ws[i] = ev[i][5] == 0 ? Long.MAX_VALUE : ev[i][5] - ev[i][1]; aw[i] = ev[i][6];
                if (ev[i][0] == 0) split++; byCaller += ev[i][4]; if (ev[i][4] == ev[i][3]) noHelp++;
            }
            Arrays.sort(dur); Arrays.sort(ws); Arrays.sort(aw);
            System.out.printf(Locale.ROOT, "trace: %d calls (%d split), caller ran all in %d, split median %.2f us, worker start median %.2f us p90 %.2f, await median %.2f us%n",
                n, split, noHelp, dur[n / 2] / 1e3, ws[n / 2] / 1e3, ws[n * 9 / 10] / 1e3, aw[n / 2] / 1e3);
        }
        long[] v = t.clone(); Arrays.sort(v);
        long sum = 0; for (float f : out) sum = sum * 31 + Float.floatToRawIntBits(f);
        System.out.printf(Locale.ROOT, "%-10s t%d  median %7.2f us  p10 %7.2f  p90 %7.2f  bits %016x%n", name, threads, v[calls / 2] / 1e3, v[calls / 10] / 1e3, v[calls * 9 / 10] / 1e3, sum);
    }
}
