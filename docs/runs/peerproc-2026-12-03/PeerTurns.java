package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * ORT's rate in the bench's turn pattern, in-process vs own process, from one parent JVM:
 * javac -cp feint-bench/target/feint-bench.jar -d /tmp/pt PeerTurns.java;
 * java [launcher options] -cp feint-bench/target/feint-bench.jar:/tmp/pt dev.feint.bench.PeerTurns BATCH THREADS [own|in]...
 * Per mode: warm, then 8 turns (200 ms pause, >= 34 ms of calls) and 3 long rounds (200 ms pause, >= 1 s), img/s each.
 */
public class PeerTurns {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]), th = Integer.parseInt(a[1]);
        Network net = SideBySide.network();
        net.eval();
        Path onnx = Files.createTempFile("peerturns", ".onnx");
        OnnxExport.write(net, onnx);
        for (int i = 2; i < a.length; i++) {
            boolean own = a[i].equals("own");
            try (Peers peers = new Peers.Setting(own, null).open(); Peers.Ort ort = peers.ort(onnx, th);
                 Peers.Timed t = ort.forward(new Peers.Input(7, n, 1, 28, 28))) {
                t.warm(2, 700_000_000L);
                double[] turns = new double[8], longs = new double[3];
                for (int k = 0; k < turns.length; k++) {
                    t.collect();
                    System.gc();
                    Thread.sleep(200);
                    long[] r = t.round(1, 34_000_000L);
                    turns[k] = (double) n * r[0] / (r[1] * 1e-9);
                }
                for (int k = 0; k < longs.length; k++) {
                    t.collect();
                    System.gc();
                    Thread.sleep(200);
                    long[] r = t.round(1, 1_000_000_000L);
                    longs[k] = (double) n * r[0] / (r[1] * 1e-9);
                }
                System.out.printf("%s batch %d threads %d: turns img/s %s; 1 s rounds %s; load %s%n", own ? "own-process" : "in-process", n, th,
                        Arrays.toString(Arrays.stream(turns).map(Math::rint).toArray()), Arrays.toString(Arrays.stream(longs).map(Math::rint).toArray()),
                        SideBySide.Machine.loadAverage());
            }
        }
        Files.deleteIfExists(onnx);
    }
}
