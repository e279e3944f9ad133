import dev.feint.loss.Losses;
import dev.feint.model.InputPreprocessing;
import dev.feint.model.LossFunction;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.onnx.OnnxModel;
import dev.feint.optim.Sgd;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One-thread CPU time of one step of preact-resnet18 (3x32x32, seeded weights) as {@code feint bench
 * --preact} runs it: "pgd" is the input gradient of the cross-entropy in eval mode with the weights
 * frozen (the PGD step's cost; the sign step is negligible), "train" a training step (train mode,
 * forward, backward, plain SGD), "forward" the eval forward; "onnx:FILE" is the input gradient of an
 * imported 3x32x32 model (feint bench --imported's step, e.g. /tmp/benchmodels/mobilenet_v2.onnx). A source-file program on any build's
 * bench jar, for A/B comparisons of builds on a shared machine (a one-thread call's CPU time is what
 * the call itself cost, however busy the machine). Prints the median and range of the rounds and a
 * checksum of the result (the same between builds that compute the same bits).
 *
 *   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m \
 *        -cp feint-bench/target/feint-bench.jar scripts/PreactStepTime.java pgd 128 3 5 1   # mode batch calls rounds threads
 *
 * With more than one thread the CPU time is the calling thread's only; the wall time is the figure then.
 */
public class PreactStepTime {
    static final int C = 3, H = 32, W = 32, CLASSES = 10;

    public static void main(String[] a) {
        String mode = a.length > 0 ? a[0] : "pgd";
        int n = a.length > 1 ? Integer.parseInt(a[1]) : 128, calls = a.length > 2 ? Integer.parseInt(a[2]) : 3,
            rounds = a.length > 3 ? Integer.parseInt(a[3]) : 5, threads = a.length > 4 ? Integer.parseInt(a[4]) : 1;
        Parallel.setThreads(threads);
        Network net = Network.create(Presets.get("preact-resnet18", C, H, W, CLASSES), 1);
        SplittableRandom r = new SplittableRandom(10 + n);
        float[] x = new float[n * C * H * W];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % CLASSES;
        Runnable[] step = new Runnable[1];
        double[] sum = new double[1];
        FrozenWeights frozen = null;
        switch (mode) {
            case "pgd" -> {
                net.eval();
                NetworkModel model = NetworkModel.of(net);
                float[] into = new float[x.length];
                frozen = FrozenWeights.open();
                step[0] = () -> sum[0] = checksum(model.gradient(Tensor.of(x.clone(), n, C, H, W), LossFunction.crossEntropy(y), into).grad());
            }
            case "forward" -> {
                net.eval();
                NetworkModel model = NetworkModel.of(net);
                frozen = FrozenWeights.open();
                step[0] = () -> sum[0] = checksum(model.logits(Tensor.of(x.clone(), n, C, H, W)).data());
            }
            case "train" -> {
                net.train();
                Sgd opt = new Sgd(List.copyOf(net.body().namedParameters().values()), 0.01f, 0f, false, 0f);
                Tensor xt = Tensor.of(x, n, C, H, W);
                step[0] = () -> {
                    net.body().zeroGrad();
                    Losses.crossEntropy(net.forward(xt), y).backward();
                    opt.step();
                    sum[0] = checksum(net.body().namedParameters().values().iterator().next().data());   // the first weights after the update
                };
            }
            default -> {
                if (!mode.startsWith("onnx:")) throw new IllegalArgumentException("mode must be pgd, train, forward or onnx:FILE, got " + mode);
                OnnxModel m = OnnxModel.load(java.nio.file.Path.of(mode.substring(5)), InputPreprocessing.DEFAULT, null);
                float[] into = new float[x.length];
                frozen = FrozenWeights.open();
                step[0] = () -> sum[0] = checksum(m.gradient(Tensor.of(x.clone(), n, C, H, W), LossFunction.crossEntropy(y), into).grad());
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] cpu = new double[rounds], wall = new double[rounds];
        for (int i = 0; i < 3; i++) step[0].run();
        for (int k = 0; k < rounds; k++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) step[0].run();
            cpu[k] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls;
            wall[k] = (System.nanoTime() - t0) / 1e6 / calls;
        }
        if (frozen != null) frozen.close();
        Arrays.sort(cpu);
        Arrays.sort(wall);
        String what = mode.startsWith("onnx:") ? mode.substring(5) + " input gradient" : "preact-resnet18 " + mode;
        System.out.printf(Locale.ROOT, "%s, batch %d, %d thread(s): CPU %.1f ms/call (median of %d x %d; %.1f-%.1f), %.1f img/s of CPU; "
                + "wall %.1f ms (%.1f img/s); checksum %s%n", what, n, threads, cpu[rounds / 2], rounds, calls, cpu[0], cpu[rounds - 1], n * 1000 / cpu[rounds / 2],
                wall[rounds / 2], n * 1000 / wall[rounds / 2], Double.toString(sum[0]));
    }

    static double checksum(float[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * (double) ((i % 7) + 1);
        return s;
    }
}
