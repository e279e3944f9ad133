package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A few rows of the contention bench's alone table (measureTurns, Feint vs ORT, quick settings), peers in their
 * own process or in this JVM, alternating: java [launcher options] -cp feint-bench.jar:/tmp/pt dev.feint.bench.PeerRows
 * BATCH THREADS [own|in|own-nofeint|in-nofeint]... ("nofeint": ORT's turns alone, Feint's left out). Prints both
 * engines' rounds, and the CPU seconds the child used against the wall time of the row.
 */
public class PeerRows {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), th = Integer.parseInt(a[1]);
        Network net = SideBySide.network();
        net.eval();
        Path onnx = Files.createTempFile("peerrows", ".onnx");
        OnnxExport.write(net, onnx);
        Parallel.setThreads(th);
        float[] x = SideBySide.images(n, 7);
        SideBySide.Options o = new SideBySide.Options(n, th, 3, true, null, null, false);
        try (var frozen = FrozenWeights.open()) {
            MeasureRounds.warm(o, () -> SideBySide.feintLogits(net, x, n));
            for (int i = 2; i < a.length; i++) {
                boolean own = a[i].startsWith("own"), feint = !a[i].endsWith("nofeint");
                try (Peers peers = new Peers.Setting(own, null).open(); Peers.Ort ort = peers.ort(onnx, th);
                     Peers.Timed t = ort.forward(new Peers.Input(7, n, 1, 28, 28))) {
                    long w0 = System.nanoTime();
                    double c0 = childCpu();
                    var r = MeasureRounds.measureTurns(o, 3, 100_000_000L, SideBySide.SCALING_BLOCK_NANOS, n,
                            feint ? MeasureRounds.Engine.local(() -> SideBySide.feintLogits(net, x, n)) : null, t);
                    double wall = (System.nanoTime() - w0) * 1e-9, cpu = childCpu() - c0;
                    System.out.printf("%-14s batch %d threads %d: Feint %s ORT %s; child CPU %.1f s in %.1f s; huge pages: this JVM %s, child %s; load %s%n", a[i], n, th,
                            r[0] == null ? "-" : Arrays.toString(Arrays.stream(r[0].rounds()).map(Math::rint).toArray()),
                            Arrays.toString(Arrays.stream(r[1].rounds()).map(Math::rint).toArray()), cpu, wall, anonHuge(ProcessHandle.current().pid()),
                            ProcessHandle.current().children().map(c -> anonHuge(c.pid())).findFirst().orElse("-"), SideBySide.Machine.loadAverage());
                }
            }
        }
        Files.deleteIfExists(onnx);
    }

    private static String anonHuge(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup")))
                if (l.startsWith("AnonHugePages")) return l.substring(14).trim().replaceAll("\\s+", " ");
        } catch (Exception e) { /* gone */ }
        return "?";
    }

    private static double childCpu() {
        return ProcessHandle.current().children().mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() * 1e-9).orElse(0.0)).sum();
    }
}
