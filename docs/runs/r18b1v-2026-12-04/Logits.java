import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/** Bit hashes of a model's logits (graph forward) for fixed random inputs: batch 1 (five inputs, each 20 times) and batch 4, on 1 and 2 threads. Args: model.onnx. */
public class Logits {
    public static void main(String[] a) throws Exception {
        OnnxModel m = OnnxModel.load(Path.of(a[0]), InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        g.eval();
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
                for (int batch : new int[] {1, 4}) {
                    long h = 17; int same = 0, calls = 0;
                    for (int i = 0; i < 5; i++) {
                        SplittableRandom r = new SplittableRandom(100 + i);
                        float[] x = new float[batch * 3 * 32 * 32];
                        for (int q = 0; q < x.length; q++) x[q] = (float) r.nextDouble();
                        Tensor xt = Tensor.of(x, batch, 3, 32, 32);
                        long first = 0;
                        for (int rep = 0; rep < 20; rep++) {
                            long hh = 1;
                            try (var ar = Arena.open()) { for (float v : g.forward(xt).copy().data()) hh = hh * 1_000_003 + Float.floatToRawIntBits(v); }
                            if (rep == 0) first = hh; else { calls++; if (hh == first) same++; }
                        }
                        h = h * 31 + first;
                    }
                    System.out.printf("%s threads %d batch %d: logits hash %016x (repeats identical %d of %d)%n", Path.of(a[0]).getFileName(), threads, batch, h, same, calls);
                }
            }
        }
    }
}
