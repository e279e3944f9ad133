import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/**
 * Parallel's split calls per node of a batch-1 forward (run with -Dfeint.parallel.trace=true):
 * per node, the splits it made, their median duration, how often the caller ran every chunk, the
 * worker's start after publishing and the caller's wait. Args: model.onnx threads forwards.
 */
public class TraceFwd {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[1]), forwards = Integer.parseInt(a[2]);
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(Path.of(a[0]), InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        List<Graph.GraphNode> nodes = g.nodes();
        List<List<long[]>> per = new ArrayList<>();
        boolean[] on = {false};
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.GraphNode nd = nodes.get(i); Graph.Op op = nd.op(); int k = i;
            per.add(new ArrayList<>());
            timed.add(new Graph.GraphNode(nd.name(), (in, tr) -> {
                ParallelTrace.drain();
                Tensor[] res = op.apply(in, tr);
                long[][] ev = ParallelTrace.drain();
                if (on[0]) for (long[] e : ev) per.get(k).add(e);
                return res;
            }, nd.inputs(), nd.outputs()));
        }
        Graph p = g.withNodes(timed);
        p.eval();
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Tensor xt = Tensor.of(x, 1, 3, 32, 32);
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            for (int i = 0; i < 3000; i++) try (var ar = Arena.open()) { p.forward(xt).copy(); }
            on[0] = true;
            for (int i = 0; i < forwards; i++) try (var ar = Arena.open()) { p.forward(xt).copy(); }
        }
        for (int k = 0; k < nodes.size(); k++) {
            List<long[]> ev = per.get(k);
            if (ev.isEmpty()) { System.out.printf("%-48s no split%n", nodes.get(k).name()); continue; }
            int n = ev.size(), alone = 0, callerAll = 0; long chunks = 0;
            long[] dur = new long[n], ws = new long[n], aw = new long[n];
            for (int i = 0; i < n; i++) {
                long[] e = ev.get(i);
                dur[i] = e[2] - e[1]; ws[i] = e[5] == 0 ? Long.MAX_VALUE / 2 : e[5] - e[1]; aw[i] = e[6];
                if (e[0] != 0) alone++; else if (e[4] == e[3]) callerAll++;
                chunks = e[3];
            }
            Arrays.sort(dur); Arrays.sort(ws); Arrays.sort(aw);
            System.out.printf(Locale.ROOT, "%-48s splits/fwd %.1f chunks %d  dur %6.2f us  alone %4.1f%%  caller-all %4.1f%%  worker start %5.2f (p90 %5.2f)  await %5.2f us%n",
                nodes.get(k).name(), n / (double) forwards, chunks, dur[n / 2] / 1e3, 100.0 * alone / n, 100.0 * callerAll / n, ws[n / 2] / 1e3, ws[n * 9 / 10] / 1e3, aw[n / 2] / 1e3);
        }
    }
}
