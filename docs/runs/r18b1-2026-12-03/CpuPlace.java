import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import java.nio.file.*;
import java.util.*;

/** Bench-like rounds (System.gc + 200 ms sleep, then 10 calls): per call position, the median over rounds, Feint (OnnxModel.logits) and ORT. */
public class CpuPlace {
    static String ctid, wtid;
    static int cpuOf(String tid) throws Exception {
        String st = new String(Files.readAllBytes(Path.of("/proc/self/task/" + tid + "/stat")));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[36]);   // field 39 'processor'
    }
    static void findTids() throws Exception {
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                String comm = new String(Files.readAllBytes(t.resolve("comm"))).trim();
                if (comm.equals("feint-worker-1")) wtid = t.getFileName().toString();
            }
        }
        // the caller: the task whose utime grows while we spin
        long best = -1;
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            java.util.Map<String, Long> before = new java.util.HashMap<>();
            for (Path t : ds) before.put(t.getFileName().toString(), util(t));
            long e = System.nanoTime() + 100_000_000L; while (System.nanoTime() < e) Thread.onSpinWait();
            for (var en : before.entrySet()) { long d = util(Path.of("/proc/self/task/" + en.getKey())) - en.getValue(); if (d > best) { best = d; ctid = en.getKey(); } }
        }
        System.out.println("caller tid " + ctid + " worker tid " + wtid);
    }
    static long util(Path t) { try { String st = new String(Files.readAllBytes(t.resolve("stat"))); String[] f = st.substring(st.lastIndexOf(')') + 2).split(" "); return Long.parseLong(f[11]); } catch (Exception e) { return 0; } }
    static java.lang.reflect.Field POOL, WATCH, PAUSED, PAUSE;
    static String watch() throws Exception {
        if (POOL == null) {
            POOL = Parallel.class.getDeclaredField("pool"); POOL.setAccessible(true);
        }
        Object p = POOL.get(null); if (p == null) return "-";
        if (WATCH == null) { WATCH = p.getClass().getDeclaredField("watch"); WATCH.setAccessible(true); }
        Object w = WATCH.get(p);
        if (PAUSED == null) { PAUSED = w.getClass().getDeclaredField("paused"); PAUSED.setAccessible(true); PAUSE = w.getClass().getDeclaredField("pause"); PAUSE.setAccessible(true); }
        return PAUSED.getBoolean(w) ? "P" + PAUSE.getLong(w) / 1000000 : ".";
    }
    static int[][] pausedCount;
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int n = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
        int per = 10; String mode = a.length > 4 ? a[4] : "gcsleep";
        float[] x = new float[n * 3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        OrtRunner ort = OrtRunner.open(onnx, threads);
        try (FrozenWeights f = FrozenWeights.open(); OnnxTensor t = ort.tensor(x, n, 3, 32, 32)) {
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) { m.logits(Tensor.of(x, n, 3, 32, 32)); ort.time(t); }
            findTids(); int[][] same = new int[per][1]; pausedCount = new int[per][1]; var MXB = java.lang.management.ManagementFactory.getThreadMXBean(); long wid = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("feint-worker-1")).findFirst().map(Thread::threadId).orElse(-1L); long[][] wcpu = new long[per][rounds], ccpu = new long[per][rounds]; long[][] fe = new long[per][rounds], ot = new long[per][rounds];
            long[] feTot = new long[rounds], oTot = new long[rounds];
            for (int q = 0; q < rounds; q++) {
                settle(mode);
                long t00 = System.nanoTime();
                for (int i = 0; i < per; i++) { if (!watch().equals(".")) pausedCount[i][0]++; long w0 = MXB.getThreadCpuTime(wid), c0 = MXB.getCurrentThreadCpuTime(); long t0 = System.nanoTime(); m.logits(Tensor.of(x, n, 3, 32, 32)); fe[i][q] = System.nanoTime() - t0; wcpu[i][q] = MXB.getThreadCpuTime(wid) - w0; if (cpuOf(ctid) == cpuOf(wtid)) same[i][0]++; ccpu[i][q] = MXB.getCurrentThreadCpuTime() - c0; }
                feTot[q] = System.nanoTime() - t00;
                settle(mode);
                t00 = System.nanoTime();
                for (int i = 0; i < per; i++) { long t0 = System.nanoTime(); ort.time(t); ot[i][q] = System.nanoTime() - t0; }
                oTot[q] = System.nanoTime() - t00;
            }
            StringBuilder sb = new StringBuilder("call:  ");
            for (int i = 0; i < per; i++) sb.append(String.format(Locale.ROOT, "%7d", i));
            System.out.println(sb);
            System.out.println(row("feint", fe)); StringBuilder pc = new StringBuilder("paused "); for (int[] c : pausedCount) pc.append(String.format("%7d", c[0])); System.out.println(pc); System.out.println(row("ort", ot)); System.out.println(row("f-call", ccpu)); System.out.println(row("f-work", wcpu)); StringBuilder sc = new StringBuilder("samecpu"); for (int[] c : same) sc.append(String.format("%7d", c[0])); System.out.println(sc);
            Arrays.sort(feTot); Arrays.sort(oTot);
            double mf = feTot[rounds / 2] / 1e3 / per, mo = oTot[rounds / 2] / 1e3 / per;
            System.out.printf(Locale.ROOT, "round mean per call: Feint %.1f us, ORT %.1f us, ratio %.3f; load %s%n", mf, mo, mo / mf,
                    new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        }
        ort.close();
    }
    static void settle(String mode) throws Exception {
        if (mode.contains("gc")) System.gc();
        if (mode.contains("sleep")) Thread.sleep(200);
        if (mode.contains("spin")) { long e = System.nanoTime() + 200_000_000L; while (System.nanoTime() < e) Thread.onSpinWait(); }
    }
    static String row(String name, long[][] v) {
        StringBuilder sb = new StringBuilder(String.format("%-7s", name));
        for (long[] c : v) { long[] s = c.clone(); Arrays.sort(s); sb.append(String.format(Locale.ROOT, "%7.0f", s[s.length / 2] / 1e3)); }
        return sb.toString();
    }
}
