import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.*;
import java.nio.file.*;
import java.util.*;

/**
 * Batch 1, Feint and ORT on one .onnx, both warm and cold. Args: model.onnx threads rounds [warmupMs timedMs].
 * Per round, each engine (order alternating per round): settle (System.gc + 200 ms sleep), then 5 calls timed
 * one by one (the "cold" calls after the pause), then warmupMs of untimed calls, then timedMs of calls back to
 * back (the "warm" rate; its per-call median too). Medians over rounds.
 */
public class WarmCold {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), cold = 5;
        long warmNs = (a.length > 3 ? Long.parseLong(a[3]) : 100) * 1_000_000L, timedNs = (a.length > 4 ? Long.parseLong(a[4]) : 200) * 1_000_000L;
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        OrtRunner ort = OrtRunner.open(onnx, threads);
        String[] names = {"feint", "ort"};
        try (FrozenWeights f = FrozenWeights.open(); OnnxTensor t = ort.tensor(x, 1, 3, 32, 32)) {
            Runnable[] body = {() -> m.logits(Tensor.of(x, 1, 3, 32, 32)), () -> { try { ort.time(t); } catch (OrtException e) { throw new RuntimeException(e); } }};
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) { body[0].run(); body[1].run(); }
            double[][][] c = new double[2][cold][rounds];
            double[][] rate = new double[2][rounds], perCall = new double[2][rounds];
            for (int q = 0; q < rounds; q++)
                for (int s = 0; s < 2; s++) {
                    int e = q % 2 == 0 ? s : 1 - s;
                    System.gc(); Thread.sleep(200);
                    for (int i = 0; i < cold; i++) { long t0 = System.nanoTime(); body[e].run(); c[e][i][q] = (System.nanoTime() - t0) / 1e3; }
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < warmNs) body[e].run();
                    long[] each = new long[200_000]; int n = 0;
                    t0 = System.nanoTime(); long t1 = t0, now;
                    do { body[e].run(); now = System.nanoTime(); each[n++] = now - t1; t1 = now; } while (now - t0 < timedNs);
                    rate[e][q] = n / ((now - t0) * 1e-9);
                    long[] v = Arrays.copyOf(each, n); Arrays.sort(v); perCall[e][q] = v[n / 2] / 1e3;
                }
            String load = new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim();
            System.out.printf(Locale.ROOT, "%s threads=%d rounds=%d warmup=%dms timed=%dms load %s%n", onnx.getFileName(), threads, rounds, warmNs / 1_000_000, timedNs / 1_000_000, load);
            System.out.println("          cold call 0..4 after 200 ms pause (us, median)   | warm: img/s median [min-max], per-call median us");
            for (int e = 0; e < 2; e++) {
                StringBuilder sb = new StringBuilder(String.format("%-7s", names[e]));
                for (int i = 0; i < cold; i++) sb.append(String.format(Locale.ROOT, "%8.0f", med(c[e][i])));
                double[] rs = rate[e].clone(); Arrays.sort(rs);
                sb.append(String.format(Locale.ROOT, "   | %7.0f [%.0f-%.0f]  %6.0f us", med(rate[e]), rs[0], rs[rs.length - 1], med(perCall[e])));
                System.out.println(sb);
            }
            double[] ratio = new double[rounds];
            for (int q = 0; q < rounds; q++) ratio[q] = rate[0][q] / rate[1][q];
            double[] c0 = new double[rounds];
            for (int q = 0; q < rounds; q++) c0[q] = c[1][0][q] / c[0][0][q];
            System.out.printf(Locale.ROOT, "RESULT %s t=%d warm Feint/ORT %.3f (per-round median %.3f)  cold call-0 ORT/Feint latency ratio %.3f%n", onnx.getFileName(), threads,
                    med(rate[0]) / med(rate[1]), med(ratio), med(c0));
        }
        ort.close();
    }
    static double med(double[] v) { double[] s = v.clone(); Arrays.sort(s); return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]); }
}
