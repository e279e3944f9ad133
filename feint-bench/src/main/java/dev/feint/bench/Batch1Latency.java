package dev.feint.bench;

import ai.onnxruntime.OnnxTensor;
import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Per-call latency of the madry-cnn forward at batch 1 (or another batch; issue 19): Feint on 1 and 2 threads and ONNX
 * Runtime on 1 and 2 threads, in interleaved rounds, each round printing images/s and the 10th,
 * 50th, 90th and 99th percentile of its calls, then the median over rounds. The rate of the
 * contention table hides whether a split pays when both threads run (the 10th percentile) or only
 * loses when one is descheduled (the tail); this shows both.
 *
 * <p>Usage: {@code Batch1Latency [rounds=5] [calls=1000] [loadThreads=0] [batch=1]}; with load threads, a
 * {@link BackgroundLoad} of that many busy threads runs for the whole measurement.
 */
final class Batch1Latency {
    private static final String[] ENGINES = {"feint 1t", "feint 2t", "ort 1t", "ort 2t"};

    private Batch1Latency() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5, calls = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int loadThreads = args.length > 2 ? Integer.parseInt(args[2]) : 0, batch = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Network net = SideBySide.network();
        net.eval();
        Path onnx = Files.createTempFile("feint-batch1", ".onnx");
        List<List<Double>> rates = new ArrayList<>(), p10s = new ArrayList<>();
        for (int e = 0; e < ENGINES.length; e++) {
            rates.add(new ArrayList<>());
            p10s.add(new ArrayList<>());
        }
        float[] x = SideBySide.images(batch, 7);
        try (OrtPeer o1 = open(net, onnx, 1); OrtPeer o2 = new OrtPeer(onnx, 2);
             OnnxTensor t1 = o1.input(x, batch, 1, 28, 28); OnnxTensor t2 = o2.input(x, batch, 1, 28, 28);
             BackgroundLoad load = loadThreads > 0 ? BackgroundLoad.start(loadThreads) : null;
             var frozen = FrozenWeights.open()) {
            System.out.printf("batch-%d madry-cnn forward, %d rounds x %d calls, %d background thread(s); %s%n",
                    batch, rounds, calls, loadThreads, SideBySide.Machine.describe());
            for (int r = -2; r < rounds; r++) {                 // two rounds of warm-up
                for (int e = 0; e < ENGINES.length; e++) {
                    if (e < 2) Parallel.setThreads(e + 1);
                    MeasureRounds.settle();
                    long[] d = new long[calls];
                    long total = 0;
                    for (int i = 0; i < calls; i++) {
                        long s = System.nanoTime();
                        switch (e) {
                            case 0, 1 -> SideBySide.feintLogits(net, x, batch);
                            case 2 -> o1.run(t1);
                            default -> o2.run(t2);
                        }
                        total += d[i] = System.nanoTime() - s;
                    }
                    if (r < 0) continue;
                    Arrays.sort(d);
                    double rate = (double) calls * batch / (total * 1e-9);
                    rates.get(e).add(rate);
                    p10s.get(e).add(d[calls / 10] / 1e3);
                    System.out.printf("round %d %-8s %7.0f img/s  p10 %7.1f  p50 %7.1f  p90 %7.1f  p99 %8.1f us  (load %s)%n", r, ENGINES[e],
                            rate, d[calls / 10] / 1e3, d[calls / 2] / 1e3, d[calls * 9 / 10] / 1e3, d[calls * 99 / 100] / 1e3,
                            SideBySide.Machine.loadAverage());
                }
            }
        } finally {
            Files.deleteIfExists(onnx);
            Parallel.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
        for (int e = 0; e < ENGINES.length; e++)
            System.out.printf("%-8s median %7.0f img/s, median p10 %7.1f us%n", ENGINES[e], median(rates.get(e)), median(p10s.get(e)));
    }

    private static OrtPeer open(Network net, Path onnx, int threads) throws Exception {
        OnnxExport.write(net, onnx);
        return new OrtPeer(onnx, threads);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
