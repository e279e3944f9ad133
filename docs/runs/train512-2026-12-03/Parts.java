import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

public class Parts {
    static float[] rnd(int n, long s) { SplittableRandom r = new SplittableRandom(s); float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5); return v; }
    static void time(String name, double gflop, Runnable f) {
        for (int i = 0; i < 15; i++) f.run();
        double[] t = new double[9];
        for (int k = 0; k < t.length; k++) { long t0 = System.nanoTime(); for (int i = 0; i < 5; i++) f.run(); t[k] = (System.nanoTime() - t0) / 5e6; }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%-28s %7.2f ms (%.2f-%.2f) %6.1f GFLOP/s%n", name, t[4], t[0], t[8], gflop / t[4] * 1e3);
    }
    public static void main(String[] a) {
        int th = Integer.parseInt(a[0]), n = 128;
        Parallel.setThreads(th);
        System.out.println("threads " + th);
        float[] W = rnd(1024 * 3136, 1), X = rnd(n * 3136, 2), G = rnd(n * 1024, 3), O = new float[n * 1024], dX = new float[n * 3136], dW = new float[1024 * 3136];
        double lf = 2.0 * 128 * 3136 * 1024 / 1e9;
        Gemm.PackedA[] pw = {null};
        time("linear pack W", 0, () -> pw[0] = Gemm.pack(false, 1024, 3136, W, 0, 3136, pw[0]));
        time("linear fwd W x^T (packed)", lf, () -> Gemm.sgemmParallel(pw[0], true, n, X, 0, 3136, O, 0, n, false));
        time("linear dX = G W", lf, () -> Gemm.sgemmParallel(false, false, n, 3136, 1024, G, 0, 1024, W, 0, 3136, dX, 0, 3136, true));
        time("linear dW = G^T X", lf, () -> Gemm.sgemmParallel(true, false, 1024, 3136, n, G, 0, 1024, X, 0, 3136, dW, 0, 3136, true));
        ConvGeometry g1 = new ConvGeometry(n, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1), g2 = new ConvGeometry(n, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);
        for (ConvGeometry g : new ConvGeometry[] {g1, g2}) {
            String nm = g.c() == 1 ? "conv1 " : "conv2 ";
            float[] x = rnd(n * g.c() * g.h() * g.w(), 4), w = rnd(g.o() * g.c() * 25, 5), b = rnd(g.o(), 6);
            int ph = g.outH() / 2, pwd = g.outW() / 2;
            float[] out = new float[n * g.o() * ph * pwd]; int[] arg = new int[out.length];
            float[] go = rnd(out.length, 7), gw = new float[w.length], gb = new float[g.o()], gx = new float[x.length];
            double fl = 2.0 * n * g.o() * g.c() * 25 * g.outH() * g.outW() / 1e9;
            time(nm + "fwd relu pool", fl, () -> ConvReluPool.forward(g, x, w, b, 2, out, arg));
            Conv2dKernels.OutputGrad og = ConvReluPool.outputGrad(g, out, arg, go);
            time(nm + "weight grad", fl, () -> Conv2dKernels.backwardWeight(g, x, og, gw, gb));
            if (g.c() > 1) time(nm + "input grad", fl, () -> Conv2dKernels.backwardInput(g, og, w, gx));
        }
    }
}
