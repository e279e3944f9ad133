import ai.onnxruntime.*;
import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;
import java.lang.management.*;

/**
 * Where an imported model's inference forward goes, node by node: Feint's per-node time (median
 * over the calls; the calling thread's CPU time, or with -Dwall=true the wall clock, for
 * -Dthreads=2), or with "ort" ONNX Runtime's own per-node profile (SessionOptions.enableProfiling;
 * its JSON file is printed, summarise the "*_kernel_time" events). -Dalone=true also times each
 * node 20 times alone on its inputs of the last call (cache and JIT state against the model's).
 * Input 3x32x32, seeded uniform. Run with the bench jar on the class path:
 *
 *   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m --enable-native-access=ALL-UNNAMED \
 *        -cp feint-bench/target/feint-bench.jar scripts/ImportedNodeTimes.java /tmp/benchmodels/resnet18.onnx 64 15 [ort]
 */
public class ImportedNodeTimes {
    static final int[] ALONE = {-1}; static final long[] ALONE_T = new long[200];
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static final boolean WALL = Boolean.getBoolean("wall");
    static long now() { return WALL ? System.nanoTime() : MX.getCurrentThreadCpuTime(); }
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int n = Integer.parseInt(a[1]), calls = Integer.parseInt(a[2]);
        boolean ort = a.length > 3 && a[3].equals("ort");
        float[] x = new float[n * 3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        if (ort) { ortProfile(onnx, x, n, calls); return; }
        Parallel.setThreads(Integer.getInteger("threads", 1));
        OnnxModel m = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        List<Graph.GraphNode> nodes = g.nodes();
        long[][] t = new long[nodes.size()][calls];
        int[] cur = {0};
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.GraphNode nd = nodes.get(i); Graph.Op op = nd.op(); int k = i;
            timed.add(new Graph.GraphNode(nd.name(), (in, tr) -> {
                long t0 = now();
                if (ALONE[0] == k) { long b0 = now(); for (int q = 0; q < 20; q++) op.apply(in, tr); ALONE_T[k] = (now() - b0) / 20; }
                Tensor[] res = op.apply(in, tr);
                t[k][cur[0]] = now() - t0;
                return res;
            }, nd.inputs(), nd.outputs()));
        }
        Graph p = g.withNodes(timed);
        p.eval();
        Tensor xt = Tensor.of(x, n, 3, 32, 32);
        try (var ng = Grad.noGrad(); FrozenWeights f = FrozenWeights.open()) {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) { cur[0] = 0; p.forward(xt); }
            long[] whole = new long[calls];
            for (int c = 0; c < calls; c++) { cur[0] = c; long t0 = now(); p.forward(xt); whole[c] = now() - t0; }
            if (Boolean.getBoolean("alone")) for (int i = 0; i < nodes.size(); i++) { ALONE[0] = i; cur[0] = 0; p.forward(xt); p.forward(xt); }
            ALONE[0] = -1;
            double sum = 0;
            for (int i = 0; i < nodes.size(); i++) {
                long[] v = t[i].clone(); Arrays.sort(v);
                double med = v[calls / 2] / 1e3; sum += med;
                String op = nodes.get(i).op().getClass().getSimpleName();
                System.out.printf(Locale.ROOT, "%-40s %-14s %9.1f us  alone %9.1f%n", nodes.get(i).name(), op, med, ALONE_T[i] / 1e3);
            }
            Arrays.sort(whole);
            System.out.printf(Locale.ROOT, "sum of node medians %.1f us; whole forward median %.1f us%n", sum, whole[calls / 2] / 1e3);
        }
    }

    static void ortProfile(Path onnx, float[] x, int n, int calls) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(Integer.getInteger("threads", 1)); o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.enableProfiling(System.getProperty("java.io.tmpdir") + "/ort-node-profile");
        try (OrtSession s = env.createSession(Files.readAllBytes(onnx), o);
             OnnxTensor t = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[] {n, 3, 32, 32})) {
            String in = s.getInputNames().iterator().next();
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) s.run(Map.of(in, t)).close();
            long[] whole = new long[calls];
            for (int c = 0; c < calls; c++) { long t0 = now(); s.run(Map.of(in, t)).close(); whole[c] = now() - t0; }
            Arrays.sort(whole);
            System.out.printf(Locale.ROOT, "ORT whole forward median %.1f us%n", whole[calls / 2] / 1e3);
            System.out.println("profile " + s.endProfiling());
        }
    }
}
