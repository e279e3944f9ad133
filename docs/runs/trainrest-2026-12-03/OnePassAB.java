import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

/** dX = G W (128 x 3136 x 1024) with Gemm's one-pass m block on and off, alternating in one process, a 64 MB sweep before each call. */
public class OnePassAB {
    static float[] junk = new float[16 << 20];
    static double sink;
    public static void main(String[] a) throws Exception {
        Parallel.setThreads(Integer.parseInt(a[0]));
        var f = Gemm.class.getDeclaredField("XONE"); f.setAccessible(true);
        SplittableRandom r = new SplittableRandom(1);
        float[] W = new float[1024 * 3136], G = new float[128 * 1024], dX = new float[128 * 3136];
        for (int i = 0; i < W.length; i++) W[i] = (float) r.nextDouble();
        for (int i = 0; i < G.length; i++) G[i] = (float) r.nextDouble();
        double[][] t = new double[2][15];
        for (int k = -3; k < 15; k++) for (int v = 0; v < 2; v++) {
            f.setBoolean(null, v == 1);
            double s = 0;
            for (int i = 0; i < 6; i++) {
                float q = 0; for (int j = 0; j < junk.length; j += 16) { junk[j] += 1; q += junk[j]; } sink += q;
                long t0 = System.nanoTime();
                Gemm.sgemmParallel(false, false, 128, 3136, 1024, G, 0, 1024, W, 0, 3136, dX, 0, 3136, false);
                s += System.nanoTime() - t0;
            }
            if (k >= 0) t[v][k] = s / 6e6;
        }
        for (int v = 0; v < 2; v++) { Arrays.sort(t[v]); System.out.printf(Locale.ROOT, "threads %s one pass %s: dX %.2f ms (%.2f-%.2f)%n", a[0], v == 1, t[v][7], t[v][0], t[v][14]); }
    }
}
