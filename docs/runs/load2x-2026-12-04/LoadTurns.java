package dev.feint.bench;

import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.ParallelTrace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * LoadTurns (load2x; turn32's B32Turns with the batch settable, {@code -Db=1}, and per turn the caller's waits for
 * a started worker chunk, the worker's parks and its spins' lost vCPUs). The contention bench's 32 x 2 row, turn by turn (turn32): Feint's madry-cnn forward at batch 32 on
 * 2 threads taking turns with a peer exactly as {@link MeasureRounds#measureTurns} does (a collect
 * and the settle per round, 200 ms pauses between turns, the order reversed every turn, >= 34 ms per
 * turn, >= 100 ms and {@code iterations} calls per engine and round), and per Feint turn: what ran
 * before it, its rate, its first calls' times, and {@link ParallelTrace}'s record of the splits
 * (run with -Dfeint.parallel.trace=true): how many forRange calls ran alone because HelpWatch had
 * paused splitting, the caller's share of the chunks, the worker's start after publishing.
 *
 * <p>Peers: {@code ort} (ONNX Runtime in its own JVM, as the bench), {@code none} (Feint's turns
 * only, the peer's turn is a sleep of 34 ms), {@code spin MS} (a child process that busy-loops 2
 * threads for 34 ms, then keeps them spinning MS ms after its answer, as a thread pool's spin
 * would), {@code touch MB} (a child that writes MB megabytes on 2 threads over and over for
 * 34 ms). Args: rounds peer [arg]. Classpath: feint.jar and feint-bench.jar, this class beside them.
 */
public class LoadTurns {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("noise")) { noise(a[1], Long.parseLong(a[2])); return; }
        int rounds = Integer.parseInt(a[0]), b = Integer.getInteger("b", 32), th = Integer.getInteger("th", 2);
        String peerKind = a[1];
        long arg = a.length > 2 ? Long.parseLong(a[2]) : 0;
        BackgroundLoad load = a.length > 3 && a[3].equals("load") ? BackgroundLoad.start(2) : null;
        Parallel.setThreads(th);
        var net = SideBySide.network();
        net.eval();
        float[] x = SideBySide.images(b, 7);
        Path onnx = Files.createTempFile("b32", ".onnx");
        dev.feint.onnx.OnnxExport.write(net, onnx);
        Peers peers = Peers.ownProcess(Peers.defaultJavaOptions());
        Process noise = null;
        MeasureRounds.Engine peer;
        Peers.Timed ortTimed = null;
        if (peerKind.equals("ort")) {
            ortTimed = peers.ort(onnx, th).forward(new Peers.Input(7, b, 1, 28, 28));
            peer = ortTimed;
        } else if (peerKind.equals("none")) {
            peer = sleeper();
        } else {
            noise = ChildJvmNoise.start(peerKind, arg);
            peer = ChildJvmNoise.engine(noise);
        }
        int iters = Math.max(5, (int) Math.ceil(5.0 * 128 / b / 4));   // SideBySide.scaling's for batch 32 with --quick (iterations 5 -> max(5, 5*128/32/4)) is 5; >= 100 ms binds
        long minRound = 100_000_000L, block = 34_000_000L;
        StringBuilder out = new StringBuilder();
        List<double[]> afterPeer = new ArrayList<>(), afterSelf = new ArrayList<>();
        List<Long> allGaps = new ArrayList<>();
        List<double[]> turnRates = new ArrayList<>();
        try (var frozen = FrozenWeights.open()) {
            MeasureRounds.warm(5, 2_000_000_000L, () -> SideBySide.feintLogits(net, x, b));
            peer.warm(5, 2_000_000_000L);
            ParallelTrace.drain();
            for (int k = 0; k < rounds; k++) {
                peer.collect();
                MeasureRounds.settle();
                long calls = 0, nanos = 0, pcalls = 0, pnanos = 0;
                boolean first = true;
                int prev = -1;
                for (int turn = 0; calls < iters || nanos < minRound || pcalls < iters || pnanos < minRound; turn++)
                    for (int slot = 0; slot < 2; slot++) {
                        int j = MeasureRounds.bodyAt(turn, slot, 2);
                        if (!first) Thread.sleep(MeasureRounds.TURN_PAUSE_MS);
                        first = false;
                        if (j == 1) {
                            long[] cn = peer.round(1, block);
                            pcalls += cn[0];
                            pnanos += cn[1];
                        } else {
                            ParallelTrace.drain();
                            List<Long> callNs = new ArrayList<>();
                            long[] cpu0 = cpu(), st0 = procStat();
                            int lost0 = counter("workerLostCpu"), parks0 = counter("workerParks"), moves0 = counter("workerMoves");
                            long t0 = System.nanoTime(), t = t0;
                            do {
                                long c0 = System.nanoTime();
                                SideBySide.feintLogits(net, x, b);
                                t = System.nanoTime();
                                callNs.add(t - c0);
                            } while (t - t0 < block);
                            long[] cpu1 = cpu(), st1 = procStat();
                            long[][] ev = ParallelTrace.drain();
                            int lost = counter("workerLostCpu") - lost0, parks = counter("workerParks") - parks0, moves = counter("workerMoves") - moves0;
                            calls += callNs.size();
                            nanos += t - t0;
                            double rate = callNs.size() * (double) b * 1e9 / (t - t0);
                            int split = 0, watch = 0, busy = 0;
                            long ch = 0, byCaller = 0;
                            List<Long> wake = new ArrayList<>();
                            long awaitSum = 0, awaitMax = 0, splitSum = 0;
                            int awaitLong = 0, workerNone = 0;
                            for (long[] e : ev) {
                                if (e[0] == ParallelTrace.SPLIT) {
                                    split++;
                                    ch += e[3];
                                    byCaller += e[4];
                                    if (e[5] != 0) wake.add(e[5] - e[1]);
                                    else workerNone++;
                                    awaitSum += e[6];
                                    awaitMax = Math.max(awaitMax, e[6]);
                                    if (e[6] > 100_000) awaitLong++;
                                    splitSum += e[2] - e[1];
                                } else if (e[0] == ParallelTrace.ALONE_WATCH) watch++;
                                else busy++;
                            }
                            wake.sort(null);
                            List<Long> gaps = new ArrayList<>();
                            for (int e = 1; e < ev.length; e++) gaps.add(ev[e][1] - ev[e - 1][2]);
                            gaps.sort(null);
                            allGaps.addAll(gaps);
                            String p = prev == 1 ? "peer" : prev == 0 ? "self" : "settle";
                            out.append(String.format("t %.6f-%.6f round %d turn %d after %-6s %6.0f img/s calls %3d first ms %s | splits %4d alone(watch) %4d alone(busy) %d caller %.2f of chunks, worker start us p50 %s max %s | cpu ms caller %.1f worker %.1f of %.1f wall; machine busy %d idle %d jiffies | await ms %.2f (max %.2f, %d > 100 us) in splits ms %.2f, worker none %d | lost %d parks %d moves %d%n",
                                    t0 / 1e9, t / 1e9, k, turn, p, rate, callNs.size(), firstMs(callNs), split, watch, busy, ch == 0 ? 0 : (double) byCaller / ch,
                                    wake.isEmpty() ? "-" : wake.get(wake.size() / 2) / 1000, wake.isEmpty() ? "-" : wake.get(wake.size() - 1) / 1000,
                                    (cpu1[0] - cpu0[0]) / 1e6, (cpu1[1] - cpu0[1]) / 1e6, (t - t0) / 1e6, st1[0] - st0[0], st1[1] - st0[1], awaitSum / 1e6, awaitMax / 1e6, awaitLong, splitSum / 1e6, workerNone, lost, parks, moves));
                            turnRates.add(new double[] {rate, awaitSum / 1e6, lost, parks, moves});
                            (prev == 1 ? afterPeer : afterSelf).add(new double[] {rate, watch});
                        }
                        prev = j;
                    }
                out.append(String.format("round %d: Feint %.0f img/s, peer %.0f img/s%n", k, calls * (double) b * 1e9 / nanos, pcalls * (double) b * 1e9 / pnanos));
            }
        } finally {
            if (ortTimed != null) ortTimed.close();
            peers.close();
            if (noise != null) noise.destroy();
            if (load != null) load.close();
            Files.deleteIfExists(onnx);
        }
        System.out.print(out);
        System.out.printf("peer %s %d: Feint turns after the peer's: median %.0f img/s (%d turns, %d with HelpWatch pauses); after its own or the settle: median %.0f (%d, %d)%n",
                peerKind, arg, med(afterPeer), afterPeer.size(), afterPeer.stream().filter(r -> r[1] > 0).count(),
                med(afterSelf), afterSelf.size(), afterSelf.stream().filter(r -> r[1] > 0).count());
        turnRates.sort((u, v) -> Double.compare(u[0], v[0]));
        double[] rs = turnRates.stream().mapToDouble(r -> r[0]).toArray();
        double aw = turnRates.stream().mapToDouble(r -> r[1]).sum(), lo = turnRates.stream().mapToDouble(r -> r[2]).sum(), pk = turnRates.stream().mapToDouble(r -> r[3]).sum(), mv = turnRates.stream().mapToDouble(r -> r[4]).sum();
        if (rs.length > 0)
            System.out.printf("SUMMARY b %d th %d peer %s load %s: Feint turns %d img/s median %.0f p10 %.0f p90 %.0f; per turn await ms %.2f lost %.1f parks %.1f moves %.1f%n",
                    b, th, peerKind, load != null, rs.length, rs[rs.length / 2], rs[rs.length / 10], rs[rs.length * 9 / 10], aw / rs.length, lo / rs.length, pk / rs.length, mv / rs.length);
        allGaps.sort(null);
        if (!allGaps.isEmpty())
            System.out.printf("gaps between forRange calls in Feint's turns, us: p10 %d p50 %d p90 %d p99 %d max %d; over 200 us: %.0f%%, over 1 ms: %.0f%%, over 3 ms: %.0f%%%n",
                    q(allGaps, 0.1), q(allGaps, 0.5), q(allGaps, 0.9), q(allGaps, 0.99), q(allGaps, 1.0),
                    over(allGaps, 200_000), over(allGaps, 1_000_000), over(allGaps, 3_000_000));
        System.exit(0);
    }

    /** Parallel's package-private test counters, read by reflection (the harness is outside the package). */
    private static int counter(String name) {
        try {
            var m = Parallel.class.getDeclaredMethod(name);
            m.setAccessible(true);
            return (Integer) m.invoke(null);
        } catch (ReflectiveOperationException e) { return -1; }
    }

    private static long q(List<Long> s, double f) { return s.get(Math.min(s.size() - 1, (int) (f * s.size()))) / 1000; }

    private static double over(List<Long> s, long ns) { return 100.0 * s.stream().filter(g -> g > ns).count() / s.size(); }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's and the pool worker's CPU nanoseconds. */
    private static long workerId = -1;

    private static long[] cpu() {
        if (workerId < 0)
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("feint-worker-1")) workerId = t.threadId();
        return new long[] {THREADS.getCurrentThreadCpuTime(), workerId < 0 ? 0 : THREADS.getThreadCpuTime(workerId)};
    }

    /** The machine's busy and idle jiffies (/proc/stat's cpu line). */
    private static long[] procStat() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0, idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            for (int i = 1; i < f.length; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            return new long[] {busy, idle};
        } catch (Exception e) { return new long[2]; }
    }

    private static String firstMs(List<Long> ns) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(4, ns.size()); i++) s.append(String.format("%.2f ", ns.get(i) / 1e6));
        return s.toString().trim();
    }

    private static double med(List<double[]> r) {
        double[] v = r.stream().mapToDouble(d -> d[0]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static MeasureRounds.Engine sleeper() {
        return new MeasureRounds.Engine() {
            @Override public void warm(int minCalls, long minNanos) {}
            @Override public long[] round(int minCalls, long minNanos) throws Exception {
                Thread.sleep(minNanos / 1_000_000);
                return new long[] {1, minNanos};
            }
            @Override public long[] steady(int minCalls, long warmNanos, long timedNanos) { throw new UnsupportedOperationException(); }
        };
    }

    /** The noise child: per line read, one turn (34 ms), then the kind's aftermath; answers "ok". */
    static void noise(String kind, long arg) throws Exception {
        var in = new BufferedReader(new InputStreamReader(System.in));
        PrintStream o = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        byte[][] mem = {new byte[(int) Math.max(1, arg) << 20], new byte[(int) Math.max(1, arg) << 20]};
        o.println("ready");
        for (String line; (line = in.readLine()) != null; ) {
            long end = System.nanoTime() + 34_000_000L;
            Thread[] ts = new Thread[2];
            for (int i = 0; i < 2; i++) {
                byte[] m = mem[i];
                ts[i] = new Thread(() -> {
                    long sink = 0;
                    while (System.nanoTime() < end) {
                        if (kind.equals("touch")) for (int p = 0; p < m.length; p += 64) m[p]++;
                        else for (int q = 0; q < 1000; q++) sink += q * 31;
                    }
                    if (sink == 42) System.err.println();
                });
                ts[i].start();
            }
            for (Thread t : ts) t.join();
            o.println("ok");
            if (kind.equals("spin")) {
                long spinEnd = System.nanoTime() + arg * 1_000_000L;
                Thread[] sp = new Thread[2];
                for (int i = 0; i < 2; i++) {
                    sp[i] = new Thread(() -> { while (System.nanoTime() < spinEnd) Thread.onSpinWait(); });
                    sp[i].start();
                }
                for (Thread t : sp) t.join();
            }
        }
    }

    /** Starts and drives the noise child. */
    static final class ChildJvmNoise {
        static Process start(String kind, long arg) throws Exception {
            var cmd = ChildJvm.command(List.of("-Xmx1g"), LoadTurns.class.getName(), "noise", kind, Long.toString(arg));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
            return p;
        }

        static MeasureRounds.Engine engine(Process p) {
            var r = new BufferedReader(new InputStreamReader(p.getInputStream()));
            var w = new PrintStream(p.getOutputStream(), true);
            return new MeasureRounds.Engine() {
                @Override public void warm(int minCalls, long minNanos) {}
                @Override public long[] round(int minCalls, long minNanos) throws Exception {
                    long t0 = System.nanoTime();
                    w.println("round");
                    r.readLine();
                    return new long[] {1, System.nanoTime() - t0};
                }
                @Override public long[] steady(int minCalls, long warmNanos, long timedNanos) { throw new UnsupportedOperationException(); }
            };
        }
    }
}
