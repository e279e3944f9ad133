package dev.feint.bench;

import ai.onnxruntime.OnnxTensor;
import dev.feint.onnx.OnnxModel;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The imported models' forward on one thread, Feint against ONNX Runtime with one intra-op
 * thread, timed by the calling thread's CPU time as well as the wall clock: on a shared machine
 * the CPU time of a one-thread call is what the call itself cost, while the wall time also holds
 * the time other tenants had the core (a load average of 20 on 2 vCPUs makes wall-clock ratios
 * noise). Both engines run their single-thread forward on the calling thread. Per model and batch:
 * agreement (logits within 1e-4 relative), then rounds of calls interleaved, the median of each.
 *
 * <p>Usage: {@code ImportedCpuTime DIR [calls] [rounds]}, defaults 50 and 5; DIR as for
 * {@code feint bench --imported} (scripts/make-bench-models.py).
 */
public final class ImportedCpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private ImportedCpuTime() {}

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * Prints CPU time per call of Feint and ONNX Runtime on the imported models.
     *
     * @param args DIR (holding resnet18.onnx and mobilenet_v2.onnx), then optional calls and rounds
     * @throws Exception if a model cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("ImportedCpuTime: usage: ImportedCpuTime DIR [calls] [rounds] (DIR holds resnet18.onnx, mobilenet_v2.onnx)");
            System.exit(2);
        }
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 50, rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Parallel.setThreads(1);
        System.out.printf(Locale.ROOT, "one thread, CPU time of the calling thread (ms per call, median of %d rounds x %d calls); load %s%n",
                rounds, calls, SideBySide.Machine.loadAverage());
        for (String name : ImportedBench.MODELS) {
            Path onnx = Path.of(args[0]).resolve(name + ".onnx");
            if (!Files.isRegularFile(onnx)) continue;
            OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
            for (int n : ImportedBench.FORWARD_BATCHES) {
                float[] x = ImportedBench.images(n * ImportedBench.C * ImportedBench.H * ImportedBench.W, 10 + n);
                Tensor xt = Tensor.of(x, n, ImportedBench.C, ImportedBench.H, ImportedBench.W);
                try (FrozenWeights f = FrozenWeights.open(); OrtPeer ort = new OrtPeer(onnx, 1);
                     OnnxTensor t = ort.input(x, n, ImportedBench.C, ImportedBench.H, ImportedBench.W)) {
                    float[] want = ort.forward(t), got = m.logits(xt).data();
                    float d = SideBySide.maxAbsDiff(got, want) / Math.max(SideBySide.maxAbs(want), 1e-12f);
                    if (d > 1e-4f) {
                        System.out.printf(Locale.ROOT, "%s batch %d: DISAGREE with ONNX Runtime (max rel diff %.2e)%n", name, n, d);
                        System.exit(2);
                    }
                    double[][] fe = new double[2][rounds], or = new double[2][rounds];
                    warm(() -> m.logits(xt));
                    warm(() -> ort.run(t));
                    for (int r = 0; r < rounds; r++) {
                        double[] a = time(calls, () -> m.logits(xt)), b = time(calls, () -> ort.run(t));
                        fe[0][r] = a[0]; fe[1][r] = a[1]; or[0][r] = b[0]; or[1][r] = b[1];
                    }
                    double fc = median(fe[1]), oc = median(or[1]), fw = median(fe[0]), ow = median(or[0]);
                    System.out.printf(Locale.ROOT, "%-12s batch %-3d  Feint cpu %7.3f wall %7.3f   ORT cpu %7.3f wall %7.3f   Feint/ORT speed: cpu %.2fx (rounds %.2f-%.2f) wall %.2fx%n",
                            name, n, fc, fw, oc, ow, oc / fc, min(or[1], fe[1]), max(or[1], fe[1]), ow / fw);
                }
            }
        }
    }

    /**
     * Calls body for at least 3 s and 20 calls: on a loaded machine the JIT's compiler threads get
     * a small share of the cores, and a few hundred calls of a batch-one forward (under a second)
     * can all run before the kernels for this model's shapes are compiled.
     */
    private static void warm(Call body) throws Exception {
        long end = System.nanoTime() + 3_000_000_000L;
        for (int i = 0; i < 20 || System.nanoTime() < end; i++) body.run();
    }

    /** {median wall ms, median CPU ms} of {@code calls} calls. */
    private static double[] time(int calls, Call body) throws Exception {
        double[] w = new double[calls], c = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime(), c0 = MX.getCurrentThreadCpuTime();
            body.run();
            c[i] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
            w[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new double[] {median(w), median(c)};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The lowest and highest per-round ratio peer / Feint. */
    private static double min(double[] peer, double[] feint) {
        double m = Double.MAX_VALUE;
        for (int i = 0; i < peer.length; i++) m = Math.min(m, peer[i] / feint[i]);
        return m;
    }

    private static double max(double[] peer, double[] feint) {
        double m = 0;
        for (int i = 0; i < peer.length; i++) m = Math.max(m, peer[i] / feint[i]);
        return m;
    }
}
