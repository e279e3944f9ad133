import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/**
 * Feint's forward of an imported model against ONNX Runtime's on the same file, interleaved in one
 * process: rounds of a few Feint calls then a few ORT calls, each round after a 200 ms pause (the other
 * engine's workers spin after a call, as in the bench's settle), each round's mean call time kept; prints
 * both medians and their ratio (ORT time / Feint time, above 1 when Feint is faster). Quicker than
 * {@code feint bench --imported} for one model, batch and thread count. Input 3x32x32, seeded uniform.
 *
 *   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m --enable-native-access=ALL-UNNAMED \
 *        -cp feint-bench/target/feint-bench.jar scripts/ImportedRatio.java /tmp/benchmodels/mobilenet_v2.onnx BATCH THREADS [ROUNDS [FEINT_THREADS]]
 */
public class ImportedRatio {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int n = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]), rounds = a.length > 3 ? Integer.parseInt(a[3]) : 15;
        int per = n == 1 ? 40 : 4, feintThreads = a.length > 4 ? Integer.parseInt(a[4]) : threads;
        float[] x = new float[n * 3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Parallel.setThreads(feintThreads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        g.eval();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads); o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        Tensor xt = Tensor.of(x, n, 3, 32, 32);
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open();
             OrtSession s = env.createSession(Files.readAllBytes(onnx), o);
             OnnxTensor t = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[] {n, 3, 32, 32})) {
            String in = s.getInputNames().iterator().next();
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) { g.forward(xt); s.run(Map.of(in, t)).close(); }
            long[] fe = new long[rounds], ort = new long[rounds];
            for (int q = 0; q < rounds; q++) {
                Thread.sleep(200);
                long t0 = System.nanoTime();
                for (int i = 0; i < per; i++) g.forward(xt);
                fe[q] = (System.nanoTime() - t0) / per;
                Thread.sleep(200);
                t0 = System.nanoTime();
                for (int i = 0; i < per; i++) s.run(Map.of(in, t)).close();
                ort[q] = (System.nanoTime() - t0) / per;
            }
            Arrays.sort(fe); Arrays.sort(ort);
            double mf = fe[fe.length / 2] / 1e3, mo = ort[ort.length / 2] / 1e3;
            System.out.printf(Locale.ROOT, "%s batch %d threads %d (Feint %d): Feint %.1f us, ORT %.1f us, ratio %.3f (Feint p25 %.1f p75 %.1f; ORT p25 %.1f p75 %.1f)%n",
                    onnx.getFileName(), n, threads, feintThreads, mf, mo, mo / mf, fe[fe.length / 4] / 1e3, fe[3 * fe.length / 4] / 1e3,
                    ort[ort.length / 4] / 1e3, ort[3 * ort.length / 4] / 1e3);
        }
    }
}
