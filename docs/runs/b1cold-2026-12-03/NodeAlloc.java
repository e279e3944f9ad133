import dev.feint.onnx.*; import dev.feint.model.InputPreprocessing; import dev.feint.tensor.*; import dev.feint.nn.Graph; import dev.feint.autograd.Grad; import java.nio.file.*; import java.util.*;
public class NodeAlloc {
    public static void main(String[] a) throws Exception {
        Parallel.setThreads(Integer.parseInt(a[1]));
        OnnxModel m = OnnxModel.load(Path.of(a[0]), InputPreprocessing.DEFAULT, null);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Graph g = m.imported().graph();
        Map<String, long[]> acc = new LinkedHashMap<>();
        List<Graph.GraphNode> nodes = new ArrayList<>();
        for (Graph.GraphNode n : g.nodes()) {
            long[] c = acc.computeIfAbsent(n.name() + " " + n.op().getClass().getSimpleName(), k -> new long[1]);
            Graph.Op op = n.op();
            nodes.add(new Graph.GraphNode(n.name(), (in, tr) -> { long b0 = mx.getCurrentThreadAllocatedBytes(); Tensor[] r = op.apply(in, tr); c[0] += mx.getCurrentThreadAllocatedBytes() - b0; return r; }, n.inputs(), n.outputs()));
        }
        Graph p = g.withNodes(nodes); p.eval();
        Tensor x = Tensor.of(new float[3 * 32 * 32], 1, 3, 32, 32);
        int N = 200;
        try (FrozenWeights f = FrozenWeights.open(); var ng = Grad.noGrad()) {
            for (int i = 0; i < 2000; i++) try (var ar = Arena.open()) { p.forward(x); }
            for (long[] c : acc.values()) c[0] = 0;
            long t0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < N; i++) try (var ar = Arena.open()) { p.forward(x); }
            long tot = mx.getCurrentThreadAllocatedBytes() - t0;
            long s = 0;
            for (var e : acc.entrySet()) { s += e.getValue()[0]; if (e.getValue()[0] / N > 200) System.out.printf("%-60s %8d B/call%n", e.getKey(), e.getValue()[0] / N); }
            System.out.printf("nodes %d B/call, whole forward %d B/call%n", s / N, tot / N);
        }
    }
}
