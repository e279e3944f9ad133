import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/** Per node, per call position in bench-like rounds (gc + sleep 200 ms, 10 calls): median over rounds, wall us. */
public class ColdNodes {
    static final boolean WARM = Boolean.getBoolean("warm");
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), per = 10;
        Parallel.setThreads(threads);
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        List<Graph.GraphNode> nodes = g.nodes();
        long[][][] t = new long[nodes.size()][per][rounds];
        int[] pos = {0, 0}; boolean[] rec = {false};
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.GraphNode nd = nodes.get(i); Graph.Op op = nd.op(); int k = i;
            timed.add(new Graph.GraphNode(nd.name(), (in, tr) -> {
                long t0 = System.nanoTime();
                Tensor[] res = op.apply(in, tr);
                if (rec[0]) t[k][pos[0]][pos[1]] = System.nanoTime() - t0;
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
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) try (var ar = Arena.open()) { p.forward(xt).copy(); }
            rec[0] = true;
            for (int q = 0; q < rounds; q++) {
                if (!WARM) { System.gc(); Thread.sleep(200); }
                pos[1] = q;
                for (int i = 0; i < per; i++) { pos[0] = i; try (var ar = Arena.open()) { p.forward(xt).copy(); } }
            }
        }
        double[] col = new double[per];
        for (int k = 0; k < nodes.size(); k++) {
            StringBuilder sb = new StringBuilder(String.format("%-45s", nodes.get(k).name().replace("/Conv", "").replaceAll("/layer\\d/", "")));
            for (int i = 0; i < per; i++) { long[] s = t[k][i].clone(); Arrays.sort(s); double v = s[rounds / 2] / 1e3; col[i] += v; sb.append(String.format(Locale.ROOT, "%7.0f", v)); }
            System.out.println(sb);
        }
        StringBuilder sb = new StringBuilder(String.format("%-45s", "sum"));
        for (double v : col) sb.append(String.format(Locale.ROOT, "%7.0f", v));
        System.out.println(sb);
    }
}
