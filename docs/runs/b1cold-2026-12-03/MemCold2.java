import java.util.*;
/** Cold-memory probe: arg0 MB, arg1 stride in floats. Modes: warm, sleep N ms for several N. First 5 sweeps after the pause, median of 11 rounds, us. */
public class MemCold2 {
    static float[] a; static int stride;
    static float sweep() { float s = 0; for (int i = 0; i < a.length; i += stride) s += a[i]; return s; }
    public static void main(String[] x) throws Exception {
        int mb = Integer.parseInt(x[0]); stride = Integer.parseInt(x[1]);
        a = new float[mb * 262144];
        Arrays.fill(a, 1f);
        float sink = 0;
        for (int i = 0; i < 200; i++) sink += sweep();
        for (int ms : new int[] {0, 2, 5, 10, 20, 200}) {
            long[][] t = new long[5][11];
            for (int r = 0; r < 11; r++) {
                if (ms > 0) Thread.sleep(ms);
                for (int c = 0; c < 5; c++) { long t0 = System.nanoTime(); sink += sweep(); t[c][r] = System.nanoTime() - t0; }
            }
            StringBuilder sb = new StringBuilder(String.format("sleep %3d", ms));
            for (long[] c : t) { Arrays.sort(c); sb.append(String.format(" %7.0f", c[5] / 1e3)); }
            System.out.println(sb);
        }
        System.out.println("sink " + sink);
    }
}
