import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.*;
import java.nio.file.*;
import java.util.*;

/**
 * Bench-like batch-1 rounds for one model (as MeasureRounds.measureAll: settle = System.gc + 200 ms sleep,
 * then 10 timed calls; engines alternate order each round). Args: model.onnx threads rounds [settle mode].
 * Prints per call position medians (us), the median round rate (img/s) of each engine, and the ratio.
 */
public class B1Rounds {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), per = 10;
        String mode = a.length > 3 ? a[3] : "gcsleep";
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        OrtRunner ort = OrtRunner.open(onnx, threads);
        try (FrozenWeights f = FrozenWeights.open(); OnnxTensor t = ort.tensor(x, 1, 3, 32, 32)) {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) { m.logits(Tensor.of(x, 1, 3, 32, 32)); ort.time(t); }
            long[][][] c = new long[2][per][rounds];
            double[][] rate = new double[2][rounds];
            for (int q = 0; q < rounds; q++)
                for (int s = 0; s < 2; s++) {
                    int e = q % 2 == 0 ? s : 1 - s;
                    settle(mode);
                    long t00 = System.nanoTime();
                    for (int i = 0; i < per; i++) {
                        long t0 = System.nanoTime();
                        if (e == 0) m.logits(Tensor.of(x, 1, 3, 32, 32)); else ort.time(t);
                        c[e][i][q] = System.nanoTime() - t0;
                    }
                    rate[e][q] = per / ((System.nanoTime() - t00) * 1e-9);
                }
            StringBuilder sb = new StringBuilder("call:  ");
            for (int i = 0; i < per; i++) sb.append(String.format(Locale.ROOT, "%7d", i));
            System.out.println(sb);
            System.out.println(row("feint", c[0]));
            System.out.println(row("ort", c[1]));
            double fr = med(rate[0]), or = med(rate[1]);
            System.out.printf(Locale.ROOT, "RESULT %s t=%d mode=%s Feint %.0f img/s ORT %.0f img/s ratio %.3f load %s%n", onnx.getFileName(), threads, mode, fr, or, fr / or,
                    new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        }
        ort.close();
        try {
            long heapHuge = 0, otherHuge = 0; boolean heap = false;
            for (String l : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (Character.isDigit(l.charAt(0)) || (l.charAt(0) >= 'a' && l.charAt(0) <= 'f' && l.contains("-"))) { String[] p = l.split(" ")[0].split("-"); long s = Long.parseUnsignedLong(p[0], 16), en = Long.parseUnsignedLong(p[1], 16); heap = en - s >= (1L << 30); }
                else if (l.startsWith("AnonHugePages:")) { long kb = Long.parseLong(l.replaceAll("[^0-9]", "")); if (heap) heapHuge += kb; else otherHuge += kb; }
            }
            System.out.println("AnonHugePages: in >=1GiB mappings " + heapHuge / 1024 + " MiB, elsewhere " + otherHuge / 1024 + " MiB");
        } catch (Exception e) { System.out.println("smaps: " + e); }
    }
    static double med(double[] v) { double[] s = v.clone(); Arrays.sort(s); return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]); }
    static void settle(String mode) throws Exception {
        if (mode.contains("gc")) System.gc();
        if (mode.contains("sleep")) Thread.sleep(200);
    }
    static String row(String name, long[][] v) {
        StringBuilder sb = new StringBuilder(String.format("%-7s", name));
        for (long[] c : v) { long[] s = c.clone(); Arrays.sort(s); sb.append(String.format(Locale.ROOT, "%7.0f", s[s.length / 2] / 1e3)); }
        return sb.toString();
    }
}
