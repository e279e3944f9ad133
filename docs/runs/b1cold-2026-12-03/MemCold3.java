import java.util.*; import java.nio.file.*;
public class MemCold3 {
    static float[] a; static int stride = 1024;
    static float sweep() { float s = 0; for (int i = 0; i < a.length; i += stride) s += a[i]; return s; }
    static long[] flt() throws Exception { String st = Files.readString(Path.of("/proc/self/stat")); String[] f = st.substring(st.lastIndexOf(')') + 2).split(" "); return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9])}; }
    static Map<String, Long> vm() throws Exception { Map<String, Long> m = new TreeMap<>(); for (String l : Files.readAllLines(Path.of("/proc/vmstat"))) { String[] p = l.split(" "); m.put(p[0], Long.parseLong(p[1])); } return m; }
    public static void main(String[] x) throws Exception {
        a = new float[44 * 262144]; Arrays.fill(a, 1f); float sink = 0;
        for (int i = 0; i < 200; i++) sink += sweep();
        for (int r = 0; r < 3; r++) {
            Thread.sleep(200);
            long[] f0 = flt(); var v0 = vm(); long t0 = System.nanoTime(); sink += sweep(); long t = System.nanoTime() - t0; long[] f1 = flt(); var v1 = vm();
            StringBuilder sb = new StringBuilder(String.format("sweep %d us, minflt %d majflt %d;", t / 1000, f1[0] - f0[0], f1[1] - f0[1]));
            for (var e : v1.entrySet()) { long d = e.getValue() - v0.getOrDefault(e.getKey(), 0L); if (d != 0 && !e.getKey().startsWith("nr_")) sb.append(" ").append(e.getKey()).append("=").append(d); }
            System.out.println(sb);
        }
        System.out.println(sink);
    }
}
