import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/**
 * Warm per-node times, batch 1, both engines. Args: model.onnx threads blocks callsPerBlock profPrefix.
 * Blocks alternate Feint, ORT (100 ms sleep between); the first 100 calls of each block are untimed. Feint: each
 * node's op wall time (each forward in an Arena as OnnxModel.logits runs), median over the recorded calls, printed
 * here. ORT: SessionOptions profiling to profPrefix*.json (summarise with prof.py).
 */
public class Prof {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]), blocks = Integer.parseInt(a[2]), per = Integer.parseInt(a[3]), skip = 100;
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        List<Graph.GraphNode> nodes = g.nodes();
        int total = blocks * (per - skip);
        long[][] t = new long[nodes.size()][total];
        long[] whole = new long[total];
        long[][] gap = new long[nodes.size()][total];
        long[] lastEnd = {0};
        int[] pos = {-1};
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.GraphNode nd = nodes.get(i); Graph.Op op = nd.op(); int k = i;
            timed.add(new Graph.GraphNode(nd.name(), (in, tr) -> {
                long t0 = System.nanoTime();
                Tensor[] res = op.apply(in, tr);
                long t1 = System.nanoTime();
                if (pos[0] >= 0) { t[k][pos[0]] = t1 - t0; gap[k][pos[0]] = t0 - lastEnd[0]; }
                lastEnd[0] = t1;
                return res;
            }, nd.inputs(), nd.outputs()));
        }
        Graph p = g.withNodes(timed);
        p.eval();
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        Tensor xt = Tensor.of(x, 1, 3, 32, 32);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads); o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.enableProfiling(a[4]);
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open();
             OrtSession s = env.createSession(Files.readAllBytes(onnx), o);
             OnnxTensor ot = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[] {1, 3, 32, 32})) {
            String in = s.getInputNames().iterator().next();
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) { try (var ar = Arena.open()) { p.forward(xt).copy(); } s.run(Map.of(in, ot)).close(); }
            int n = 0;
            for (int b = 0; b < blocks; b++) {
                Thread.sleep(100);
                for (int i = 0; i < per; i++) {
                    pos[0] = i < skip ? -1 : n;
                    long t0 = System.nanoTime();
                    lastEnd[0] = t0;
                    try (var ar = Arena.open()) { p.forward(xt).copy(); }
                    if (i >= skip) whole[n++] = System.nanoTime() - t0;
                }
                pos[0] = -1;
                Thread.sleep(100);
                for (int i = 0; i < per; i++) s.run(Map.of(in, ot)).close();
            }
            System.out.println("ORT profile: " + s.endProfiling());
        }
        double sum = 0, gsum = 0, msum = 0;
        for (int k = 0; k < nodes.size(); k++) {
            long[] v = t[k].clone(); Arrays.sort(v); double med = v[total / 2] / 1e3; sum += med;
            long[] gv = gap[k].clone(); Arrays.sort(gv); gsum += gv[total / 2] / 1e3;
            double mean = 0; for (long q : v) mean += q; mean /= total * 1e3; msum += mean;
            System.out.printf(Locale.ROOT, "F %-50s %8.1f   gap before %6.1f   mean %7.1f  p90 %7.1f%n", nodes.get(k).name(), med, gv[total / 2] / 1e3, mean, v[total * 9 / 10] / 1e3);
        }
        long[] v = whole.clone(); Arrays.sort(v);
        double wm = 0; for (long q : v) wm += q; wm /= total * 1e3;
        System.out.printf(Locale.ROOT, "F sum-of-node-medians %.1f us (means %.1f), gaps %.1f us, whole forward median %.1f us, mean %.1f, p10 %.1f, p90 %.1f (threads %d)%n", sum, msum, gsum,
                v[total / 2] / 1e3, wm, v[total / 10] / 1e3, v[total * 9 / 10] / 1e3, threads);
    }
}
