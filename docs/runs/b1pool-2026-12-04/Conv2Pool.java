package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.ConvReluPool;
import dev.feint.tensor.kernels.PreparedConv;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/** b1pool: madry-cnn's conv2+ReLU+2x2 pool at batch 1 (prepared weights, no arg), p10/p50/p90 us, threads 2 (and 1), rounds. */
public class Conv2Pool {
    public static void main(String[] a) {
        int runs = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]);
        ConvGeometry g = new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);
        Random r = new Random(5);
        float[] x = new float[32 * 14 * 14], w = new float[64 * 32 * 25], b = new float[64], out = new float[64 * 49];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        PreparedConv p = PreparedConv.forward(g, w);
        for (int rd = 0; rd < rounds; rd++)
            for (int th : new int[] {2, 1}) {
                Parallel.setThreads(th);
                for (int i = 0; i < runs / 4; i++) ConvReluPool.forward(g, x, w, b, 2, out, null, p);
                double[] t = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    ConvReluPool.forward(g, x, w, b, 2, out, null, p);
                    t[i] = (System.nanoTime() - s) / 1e3;
                }
                Arrays.sort(t);
                System.out.println(String.format(Locale.ROOT, "round %d threads %d: conv2+relu+pool p10/p50/p90 %.1f/%.1f/%.1f us  out hash %d",
                        rd, th, t[runs / 10], t[runs / 2], t[runs * 9 / 10], Arrays.hashCode(out)));
            }
        System.exit(0);
    }
}
