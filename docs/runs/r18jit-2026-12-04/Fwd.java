import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/**
 * Feint's imported forward alone, the bench's way (noGrad, frozen weights, an Arena per call).
 * Args: model.onnx batch threads rounds msPerRound. Per round: 100 ms sleep, 100 ms untimed calls,
 * then msPerRound timed; prints each round's img/s, then the median and range, and a checksum of the logits.
 */
public class Fwd {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int batch = Integer.parseInt(a[1]), threads = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
        long ms = Long.parseLong(a[4]);
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        g.eval();
        float[] x = new float[batch * 3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Tensor xt = Tensor.of(x, batch, 3, 32, 32);
        double[] rate = new double[rounds];
        double check = 0;
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) { try (var ar = Arena.open()) { g.forward(xt).copy(); } }
            for (int rd = 0; rd < rounds; rd++) {
                Thread.sleep(100);
                long w = System.nanoTime() + 100_000_000L;
                while (System.nanoTime() < w) { try (var ar = Arena.open()) { g.forward(xt).copy(); } }
                long t0 = System.nanoTime(), stop = t0 + ms * 1_000_000L;
                int calls = 0;
                float[] last = null;
                do { try (var ar = Arena.open()) { last = g.forward(xt).copy().data(); } calls++; } while (System.nanoTime() < stop);
                rate[rd] = (double) calls * batch / ((System.nanoTime() - t0) / 1e9);
                if (rd == 0) for (int i = 0; i < last.length; i++) check += last[i] * (1 + i % 7);
            }
        }
        double[] s = rate.clone(); Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s batch %d threads %d: median %.0f img/s [%.0f-%.0f] checksum %.6f%n",
            onnx.getFileName(), batch, threads, s[rounds / 2], s[0], s[rounds - 1], check);
    }
}
