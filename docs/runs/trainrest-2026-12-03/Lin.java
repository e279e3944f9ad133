import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

/** The linear layer's products alone, with a 64 MB sweep between calls (as the step's other layers evict them): java Lin.java threads */
public class Lin {
    static float[] rnd(int n, long s) { SplittableRandom r = new SplittableRandom(s); float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5); return v; }
    static float[] junk = new float[16 << 20];
    static double sink;
    static void sweep() { float s = 0; for (int i = 0; i < junk.length; i += 16) { junk[i] += 1; s += junk[i]; } sink += s; }
    static void time(String name, boolean cold, Runnable f) {
        for (int i = 0; i < 10; i++) f.run();
        double[] t = new double[11];
        for (int k = 0; k < t.length; k++) { double s = 0; for (int i = 0; i < 5; i++) { if (cold) sweep(); long t0 = System.nanoTime(); f.run(); s += System.nanoTime() - t0; } t[k] = s / 5e6; }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%-34s %s %7.2f ms (%.2f-%.2f)%n", name, cold ? "cold" : "warm", t[5], t[0], t[10]);
    }
    public static void main(String[] a) {
        int th = Integer.parseInt(a[0]), n = 128;
        Parallel.setThreads(th);
        System.out.println("threads " + th);
        float[] W = rnd(1024 * 3136, 1), X = rnd(n * 3136, 2), G = rnd(n * 1024, 3), O = new float[n * 1024], O2 = new float[n * 1024], dX = new float[n * 3136], dW = new float[1024 * 3136];
        Gemm.PackedA[] pw = {null};
        for (boolean cold : new boolean[] {false, true}) {
            time("fwd pack W + packed product", cold, () -> { pw[0] = Gemm.pack(false, 1024, 3136, W, 0, 3136, pw[0]); Gemm.sgemmParallel(pw[0], true, n, X, 0, 3136, O, 0, n, false); });
            time("fwd unpacked W x^T", cold, () -> Gemm.sgemmParallel(false, true, 1024, n, 3136, W, 0, 3136, X, 0, 3136, O2, 0, n, false));
            time("dX = G W", cold, () -> Gemm.sgemmParallel(false, false, n, 3136, 1024, G, 0, 1024, W, 0, 3136, dX, 0, 3136, false));
            time("dW = G^T X", cold, () -> Gemm.sgemmParallel(true, false, 1024, 3136, n, G, 0, 1024, X, 0, 3136, dW, 0, 3136, false));
        }
        System.out.println("same bits fwd: " + Arrays.equals(O, O2));
    }
}
