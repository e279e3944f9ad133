import java.util.*;
/** Sweep-read a 44 MB float array: warm back to back, after sleep(200), after spin(200), after System.gc()+sleep. Times per sweep, us. */
public class MemCold {
    static float[] a;
    static float sweep() { float s = 0; for (int i = 0; i < a.length; i += 16) s += a[i]; return s; }
    public static void main(String[] x) throws Exception {
        int mb = Integer.parseInt(x[0]);
        a = new float[mb * 262144];
        Arrays.fill(a, 1f);
        float sink = 0;
        for (int i = 0; i < 200; i++) sink += sweep();
        for (String mode : new String[] {"warm", "sleep", "spin", "gcsleep", "gc", "sleep20", "sleep2"}) {
            long[][] t = new long[5][15];
            for (int r = 0; r < 15; r++) {
                if (mode.equals("sleep")) Thread.sleep(200);
                if (mode.equals("sleep20")) Thread.sleep(20);
                if (mode.equals("sleep2")) Thread.sleep(2);
                if (mode.equals("spin")) { long e = System.nanoTime() + 200_000_000L; while (System.nanoTime() < e) Thread.onSpinWait(); }
                if (mode.startsWith("gc")) System.gc();
                if (mode.equals("gcsleep")) Thread.sleep(200);
                for (int c = 0; c < 5; c++) { long t0 = System.nanoTime(); sink += sweep(); t[c][r] = System.nanoTime() - t0; }
            }
            StringBuilder sb = new StringBuilder(String.format("%-8s", mode));
            for (long[] c : t) { Arrays.sort(c); sb.append(String.format(" %7.0f", c[7] / 1e3)); }
            System.out.println(sb);
        }
        System.out.println("sink " + sink);
    }
}
