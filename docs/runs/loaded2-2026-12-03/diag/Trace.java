package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import ai.onnxruntime.OnnxTensor;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/**
 * Throwaway (loaded2): per-task timeline of Parallel's caller and worker (needs -Dfeint.parallel.trace=true),
 * madry-cnn forward at batch b on 2 threads, with a BackgroundLoad of L threads; turns of Feint and ORT like
 * MeasureRounds (34 ms turns, 200 ms pauses). Prints per call: wall, caller's wait at joins, tasks the worker
 * missed; context switches and CPU time of each thread from /proc.
 * Usage: Trace batch loadThreads turns
 */
public class Trace {
    static Map<String, long[]> ctx() throws Exception {
        Map<String, long[]> m = new TreeMap<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                if (!Files.exists(t.resolve("comm"))) continue;
                String name; List<String> status; String stat;
                try { name = Files.readString(t.resolve("comm")).trim(); status = Files.readAllLines(t.resolve("status")); stat = Files.readString(t.resolve("stat")); }
                catch (java.io.IOException e) { continue; }
                long v = 0, nv = 0;
                for (String l : status) {
                    if (l.startsWith("voluntary_ctxt_switches")) v = Long.parseLong(l.split("\\s+")[1]);
                    if (l.startsWith("nonvoluntary_ctxt_switches")) nv = Long.parseLong(l.split("\\s+")[1]);
                }
                String[] st = stat.split("\\) ")[1].split(" ");
                long cpu = Long.parseLong(st[11]) + Long.parseLong(st[12]);   // utime+stime, ticks
                long[] a = m.computeIfAbsent(name, k -> new long[4]);
                a[0] += v; a[1] += nv; a[2] += cpu; a[3]++;
            }
        }
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).split("\\s+");
        long busy = 0; for (int i = 1; i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(cpu[i]);
        m.put("~machine busy", new long[] {0, 0, busy, 0});
        String[] self = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
        m.put("~self process", new long[] {0, 0, Long.parseLong(self[11]) + Long.parseLong(self[12]), 0});
        return m;
    }
    static void diff(String what, Map<String, long[]> a, Map<String, long[]> b) {
        for (var e : b.entrySet()) {
            long[] x = a.getOrDefault(e.getKey(), new long[4]), y = e.getValue();
            long dv = y[0] - x[0], dn = y[1] - x[1], dc = y[2] - x[2];
            if (dv + dn + dc > 2) System.out.printf("  %s %-22s vol %6d invol %6d cpu %5d ms%n", what, e.getKey(), dv, dn, dc * 10);
        }
    }

    public static void main(String[] a) throws Exception {
        int b = Integer.parseInt(a[0]), load = Integer.parseInt(a[1]), turns = Integer.parseInt(a[2]);
        Parallel.setThreads(2);
        Network net = SideBySide.network(); net.eval();
        Path onnx = Files.createTempFile("trace", ".onnx"); OnnxExport.write(net, onnx);
        float[] x = SideBySide.images(b, 7);
        try (OrtPeer ort = new OrtPeer(onnx, 2); var fz = FrozenWeights.open(); OnnxTensor xt = ort.input(x, b, 1, 28, 28);
             BackgroundLoad bl = load > 0 ? BackgroundLoad.start(load) : null) {
            var jit = ManagementFactory.getCompilationMXBean();
            long w0 = System.nanoTime(), quiet = w0, comp = jit.getTotalCompilationTime();
            while (true) {
                SideBySide.feintLogits(net, x, b); ort.run(xt);
                long now = System.nanoTime(), c = jit.getTotalCompilationTime();
                if (c != comp) { comp = c; quiet = now; }
                if (now - w0 > 4_000_000_000L && (now - quiet > 1_500_000_000L || now - w0 > 20_000_000_000L)) break;
            }
            Thread.sleep(1000);
            long fWall = 0, oWall = 0, fCalls = 0, oCalls = 0;
            List<long[]> calls = new ArrayList<>(); List<long[]> turns_ = new ArrayList<>();   // per Feint call: start, end, trace index from, to
            var c0 = ctx(); Map<String, long[]> cF = new TreeMap<>(), cO = new TreeMap<>();
            Parallel.trN = 0;
            for (int k = 0; k < turns; k++) {
                for (int e = 0; e < 2; e++) {
                    int j = k % 2 == 0 ? e : 1 - e;
                    Thread.sleep(200);
                    var before = ctx();
                    long t0 = System.nanoTime(), t; int trS = Parallel.trN; long c0n = j == 0 ? fCalls : oCalls;
                    do {
                        long s = System.nanoTime(); int tr0 = Parallel.trN;
                        if (j == 0) SideBySide.feintLogits(net, x, b); else ort.run(xt);
                        long en = System.nanoTime();
                        if (j == 0) { calls.add(new long[] {s, en, tr0, Parallel.trN}); fCalls++; } else oCalls++;
                        t = en - t0;
                    } while (t < 34_000_000L);
                    if (j == 0) fWall += t; else oWall += t;
                    turns_.add(new long[] {j, trS, Parallel.trN, t, (j == 0 ? fCalls : oCalls) - c0n});
                    var after = ctx();
                    Map<String, long[]> acc = j == 0 ? cF : cO;
                    for (var en : after.entrySet()) {
                        long[] x0 = before.getOrDefault(en.getKey(), new long[4]), y = en.getValue(), z = acc.computeIfAbsent(en.getKey(), q -> new long[4]);
                        for (int i = 0; i < 3; i++) z[i] += y[i] - x0[i];
                    }
                }
            }
            System.out.printf("batch %d, 2 threads, load %d, %d turns each: Feint %.0f img/s (%d calls), ORT %.0f img/s (%d calls), F/ORT %.2f%n",
                    b, load, turns, fCalls * b / (fWall * 1e-9), fCalls, oCalls * b / (oWall * 1e-9), oCalls, (fCalls * b / (fWall * 1e-9)) / (oCalls * b / (oWall * 1e-9)));
            diff("Feint turns", new TreeMap<>(), cF);
            diff("ORT turns  ", new TreeMap<>(), cO);
            // Per task stats
            long[] T = Parallel.TR; int n = Parallel.trN;
            long wait = 0, waitParked = 0, aloneTasks = 0, missed = 0, tasks = n, late = 0;
            long[] waits = new long[n]; long callerWork = 0;
            Map<String, long[]> byBody = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                int o = 8 * i;
                long w = T[o + 2] - T[o + 1]; waits[i] = w; wait += w;
                if (T[o + 7] % 1000 > 0) waitParked += w;
                boolean workerRan = T[o + 4] < T[o + 3];
                if (!workerRan) missed++;
                if (workerRan && T[o + 5] - T[o] > 50_000) late++;
                callerWork += T[o + 1] - T[o];
                String name = ((Class<?>) Parallel.TRB[i]).getName().replaceAll("\\$\\$Lambda.*", "").replace("dev.feint.tensor.kernels.", "");
                long[] s = byBody.computeIfAbsent(name, q -> new long[8]);
                s[0]++; s[1] += T[o + 2] - T[o]; s[2] += w; s[3] += workerRan ? 0 : 1; s[4] += T[o + 3];
                s[5] += workerRan ? T[o + 5] - T[o] : 0;
                s[6] = Math.max(s[6], w);
                s[7] += w > 1_000_000 ? 1 : 0;
            }
            Arrays.sort(waits);
            double fw = fWall;
            System.out.printf("tasks %d (%.1f per call); caller ran all chunks in %d (%.1f%%); worker started > 50 us late in %d%n",
                    tasks, (double) tasks / fCalls, missed, 100.0 * missed / tasks, late);
            System.out.printf("time in tasks %.1f%% of Feint's wall; caller waiting at joins %.1f%% (of which with a park %.1f%%); join wait p50 %.1f p90 %.1f p99 %.1f max %.0f us%n",
                    100 * (callerWork + wait) / fw, 100 * wait / fw, 100 * waitParked / fw, waits[n / 2] / 1e3, waits[n * 9 / 10] / 1e3, waits[n * 99 / 100] / 1e3, waits[n - 1] / 1e3);
            System.out.println("by body: tasks, mean task us, total join wait % of wall, worker missed %, chunks/task, mean worker start us (when it ran), max wait us, waits > 1 ms");
            for (var e : byBody.entrySet()) {
                long[] s = e.getValue();
                System.out.printf("  %-60s %6d %8.1f %6.2f%% %5.1f%% %5.1f %7.1f %8.0f %5d%n", e.getKey(), s[0], s[1] / 1e3 / s[0], 100 * s[2] / fw, 100.0 * s[3] / s[0], (double) s[4] / s[0],
                        s[0] - s[3] > 0 ? s[5] / 1e3 / (s[0] - s[3]) : 0, s[6] / 1e3, s[7]);
            }
            // per turn: rate and the share of tasks published with the worker off CPU
            StringBuilder sb = new StringBuilder("per turn (engine: img/s [Feint: % tasks worker off CPU, % tasks worker ran none]):");
            for (long[] tu : turns_) {
                double rate = tu[4] * b / (tu[3] * 1e-9);
                if (tu[0] == 0) {
                    int off = 0, miss = 0, nt = (int) (tu[2] - tu[1]);
                    for (int i = (int) tu[1]; i < tu[2]; i++) { if (T[8 * i + 7] >= 1000) off++; if (T[8 * i + 4] >= T[8 * i + 3]) miss++; }
                    sb.append(String.format("%n  F %6.0f [off %3.0f%% miss %3.0f%% of %d]", rate, nt > 0 ? 100.0 * off / nt : 0, nt > 0 ? 100.0 * miss / nt : 0, nt));
                } else sb.append(String.format("  O %6.0f", rate));
            }
            System.out.println(sb);
            // per call: wall spread
            long[] cw = calls.stream().mapToLong(c -> c[1] - c[0]).sorted().toArray();
            System.out.printf("Feint call wall p10 %.0f p50 %.0f p90 %.0f p99 %.0f us%n", cw[cw.length / 10] / 1e3, cw[cw.length / 2] / 1e3, cw[cw.length * 9 / 10] / 1e3, cw[cw.length * 99 / 100] / 1e3);
        }
        Files.deleteIfExists(onnx);
    }
}
