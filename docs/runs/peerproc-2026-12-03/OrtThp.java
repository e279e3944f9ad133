// Mechanism harness (issue 19): ONNX Runtime alone in a JVM, with or without -XX:+UseTransparentHugePages.
// java [-XX:+UseTransparentHugePages] --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m \
//   -cp feint-bench/target/feint-bench.jar OrtThp.java BATCH THREADS ROUNDS [touch]
// Per round: 200 ms pause (as MeasureRounds.settle, with System.gc()), then 1 s of ORT forwards; with
// "touch", a Java-heap stretch of ~0.3 s between rounds allocating and writing 40 MB arrays (as Feint's
// turn would). Prints img/s per round and the deltas of /proc/vmstat's THP/compaction counters, the
// process's faults and the kernel threads khugepaged/kcompactd's CPU time over the run.
import dev.feint.nn.*;
import dev.feint.onnx.*;
import ai.onnxruntime.*;
import java.nio.file.*;
import java.util.*;

public class OrtThp {
    static Map<String, Long> vmstat() throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (String l : Files.readAllLines(Path.of("/proc/vmstat"))) {
            String[] p = l.split(" ");
            if (p[0].startsWith("thp_") || p[0].startsWith("compact_") || p[0].startsWith("pgfault") || p[0].startsWith("pgmajfault")
                    || p[0].startsWith("numa_hint") || p[0].startsWith("pgmigrate")) m.put(p[0], Long.parseLong(p[1]));
        }
        return m;
    }
    static long kthreadTicks() throws Exception {
        long t = 0;
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : ds) {
                try {
                    String comm = Files.readString(d.resolve("comm")).trim();
                    if (comm.equals("khugepaged") || comm.startsWith("kcompactd")) {
                        String[] s = Files.readString(d.resolve("stat")).split("\\) ")[1].split(" ");
                        t += Long.parseLong(s[11]) + Long.parseLong(s[12]);
                    }
                } catch (Exception e) { }
            }
        }
        return t;
    }
    static long[] selfStat() throws Exception {
        String[] s = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
        return new long[] {Long.parseLong(s[7]), Long.parseLong(s[9]), Long.parseLong(s[11]), Long.parseLong(s[12])}; // minflt majflt utime stime
    }
    static String anonHuge() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) if (l.startsWith("AnonHugePages")) return l.replaceAll("\\s+", " ");
        return "?";
    }
    static volatile long sink;
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), th = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        boolean touch = a.length > 3 && a[3].equals("touch");
        Path onnx = Files.createTempFile("ortthp", ".onnx");
        Network net = Network.create(Presets.get("madry-cnn", 1, 28, 28, 10), 42);
        net.eval();
        OnnxExport.write(net, onnx);
        float[] x = new float[n * 784];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        try (OrtRunner ort = OrtRunner.open(onnx, th); OnnxTensor t = ort.tensor(x, n, 1, 28, 28)) {
            long w0 = System.nanoTime();
            while (System.nanoTime() - w0 < 2_000_000_000L) ort.time(t);
            var v0 = vmstat(); long k0 = kthreadTicks(); long[] s0 = selfStat();
            double[] rates = new double[rounds];
            for (int k = 0; k < rounds; k++) {
                if (touch) {
                    long e0 = System.nanoTime();
                    while (System.nanoTime() - e0 < 300_000_000L) { float[] b = new float[10_000_000]; for (int i = 0; i < b.length; i += 16) b[i] = i; sink += (long) b[k]; }
                }
                System.gc();
                Thread.sleep(200);
                long t0 = System.nanoTime(), calls = 0;
                while (System.nanoTime() - t0 < 1_000_000_000L) { ort.time(t); calls++; }
                rates[k] = (double) n * calls / ((System.nanoTime() - t0) * 1e-9);
            }
            var v1 = vmstat(); long k1 = kthreadTicks(); long[] s1 = selfStat();
            double[] s = rates.clone(); Arrays.sort(s);
            System.out.printf("thp=%s batch %d threads %d touch=%s: ORT img/s median %.0f [%.0f-%.0f] rounds %s%n",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+UseTransparentHugePages"), n, th, touch,
                    s[s.length / 2], s[0], s[s.length - 1], Arrays.toString(Arrays.stream(rates).map(Math::rint).toArray()));
            StringBuilder d = new StringBuilder("  vmstat deltas:");
            for (var e : v1.entrySet()) { long dv = e.getValue() - v0.getOrDefault(e.getKey(), 0L); if (dv != 0) d.append(' ').append(e.getKey()).append('=').append(dv); }
            System.out.println(d);
            System.out.printf("  khugepaged+kcompactd CPU %d ticks; self minflt %d majflt %d utime %d stime %d ticks; %s%n", k1 - k0,
                    s1[0] - s0[0], s1[1] - s0[1], s1[2] - s0[2], s1[3] - s0[3], anonHuge());
        }
        Files.deleteIfExists(onnx);
    }
}
