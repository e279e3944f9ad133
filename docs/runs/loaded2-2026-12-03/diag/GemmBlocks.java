package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import java.util.Random;

/** Throwaway (loaded2): one thread, the packed-A product of madry-cnn's linear layer (1024 x 3136, B^T = x of bsz rows),
 * rows computed in blocks of R rows (each block packing its own B), time per full product. */
public class GemmBlocks {
    static java.lang.reflect.Method RUN;
    public static void main(String[] a) throws Exception {
        for (var mm : Gemm.class.getDeclaredMethods()) if (mm.getName().equals("run") && mm.getParameterCount() == 17) RUN = mm;
        RUN.setAccessible(true);
        Parallel.setThreads(1);
        int m = 1024, k = 3136;
        Random r = new Random(1);
        float[] w = new float[m * k]; for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
        Gemm.PackedA p = Gemm.pack(false, m, k, w, 0, k);
        for (int n : new int[] {32, 128, 512}) {
            float[] x = new float[n * k]; for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            float[] c = new float[m * n];
            for (int rows : new int[] {510, 252, 126}) {
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 30; rep++) {
                    long t0 = System.nanoTime();
                    for (int i0 = 0; i0 < m; i0 += rows) RUN.invoke(null, false, Math.min(m, i0 + rows) - i0, n, k, null, 0, 0, p, i0, true, x, 0, k, c, i0 * n, n, false);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf("n=%d rows per block %d: best %.3f ms%n", n, rows, best / 1e6);
            }
        }
    }
}
