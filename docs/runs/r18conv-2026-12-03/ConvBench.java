import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

/**
 * One batch-1 convolution of resnet18 (32x32 input) alone, the way the imported graph runs it
 * (ChannelsLastForward with prepared weights, ReLU clamp). Args: threads rounds callsPerRound [flush].
 * With flush, 8 MB are read between calls (the other layers' weights evict this one's from L2, as in
 * the whole forward). Prints the median us per call per geometry over rounds (layers interleaved).
 */
public class ConvBench {
    record L(String name, ConvGeometry g, boolean cl) {}
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]), per = Integer.parseInt(a[2]);
        boolean flush = a.length > 3 && a[3].equals("flush");
        Parallel.setThreads(threads);
        List<L> ls = List.of(
            new L("conv1 7x7s2 3->64 32x32", new ConvGeometry(1, 3, 32, 32, 64, 7, 7, 2, 2, 3, 3, 1, 1), false),
            new L("layer1 3x3 64 8x8", new ConvGeometry(1, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1), true),
            new L("layer2.0.conv1 3x3s2 64->128", new ConvGeometry(1, 64, 8, 8, 128, 3, 3, 2, 2, 1, 1, 1, 1), true),
            new L("layer2 3x3 128 4x4", new ConvGeometry(1, 128, 4, 4, 128, 3, 3, 1, 1, 1, 1, 1, 1), true),
            new L("layer3 3x3 256 2x2", new ConvGeometry(1, 256, 2, 2, 256, 3, 3, 1, 1, 1, 1, 1, 1), true));
        if (a.length > 4 && a[4].equals("big")) {
            Conv2dKernels.setWinograd(false);
            ls = List.of(new L("big 3x3 64 32x32 pad1", new ConvGeometry(1, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1, 1, 1), true),
                new L("big 3x3 64 34x34 pad0", new ConvGeometry(1, 64, 34, 34, 64, 3, 3, 1, 1, 0, 0, 1, 1), true));
        }
        SplittableRandom r = new SplittableRandom(3);
        int k = ls.size();
        float[][] x = new float[k][], w = new float[k][], b = new float[k][], out = new float[k][];
        PreparedConv[] p = new PreparedConv[k];
        for (int i = 0; i < k; i++) {
            ConvGeometry g = ls.get(i).g();
            x[i] = new float[g.n() * g.c() * g.h() * g.w()];
            for (int j = 0; j < x[i].length; j++) x[i][j] = (float) r.nextDouble(-1, 1);
            w[i] = new float[g.o() * g.c() * g.kh() * g.kw()];
            for (int j = 0; j < w[i].length; j++) w[i][j] = (float) r.nextDouble(-0.1, 0.1);
            b[i] = new float[g.o()];
            out[i] = new float[g.n() * g.o() * g.outH() * g.outW()];
            p[i] = PreparedConv.forward(g, w[i]);
        }
        float[] junk = new float[2 << 20];
        double[][] med = new double[k][rounds];
        long[] t = new long[per];
        double sink = 0;
        for (int rd = -3; rd < rounds; rd++)
            for (int i = 0; i < k; i++) {
                L l = ls.get(i);
                for (int c = 0; c < per; c++) {
                    if (flush) for (int j = 0; j < junk.length; j += 16) sink += junk[j]++;
                    long t0 = System.nanoTime();
                    ChannelsLastForward.forward(l.g(), x[i], l.cl(), w[i], b[i], 0f, Float.POSITIVE_INFINITY, out[i], p[i]);
                    t[c] = System.nanoTime() - t0;
                }
                Arrays.sort(t);
                if (rd >= 0) med[i][rd] = t[per / 2] / 1e3;
                sink += out[i][7];
            }
        for (int i = 0; i < k; i++) {
            double[] m = med[i].clone(); Arrays.sort(m);
            System.out.printf(Locale.ROOT, "%-32s threads %d %s median %6.1f us [%.1f-%.1f]  checksum %.6f%n", ls.get(i).name(), threads, flush ? "flush" : "warm ",
                m[rounds / 2], m[0], m[rounds - 1], sum(out[i]));
        }
        if (sink == 42) System.out.println();
    }
    static double sum(float[] v) { double s = 0; for (int i = 0; i < v.length; i++) s += v[i] * (1 + i % 7); return s; }
}
