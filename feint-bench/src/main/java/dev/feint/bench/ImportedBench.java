package dev.feint.bench;

import dev.feint.autograd.Grad;
import dev.feint.io.Json;
import dev.feint.model.LossFunction;
import dev.feint.nn.Graph;
import dev.feint.onnx.OnnxImport;
import dev.feint.onnx.OnnxModel;
import dev.feint.onnx.OnnxProto;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.Arena;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code feint bench --imported DIR}: the models users bring, imported from ONNX. For each of
 * resnet18 and mobilenet_v2 (num_classes 10, 3x32x32; scripts/make-bench-models.py writes
 * {@code NAME.onnx} and the same weights traced as {@code NAME.pt}): Feint's forward at batch 1
 * and 64 against ONNX Runtime on the same file, and the input-gradient step (summed
 * cross-entropy, weights frozen) at batch 64 against PyTorch through DJL on the TorchScript
 * trace. Agreement first (logits 1e-4, gradients 1e-3 relative); then rounds interleaved as in
 * {@link SideBySide}; then where Feint's forward time goes, per op kind (fused ops by their record's
 * name, the rest by ONNX op type). The batch-1 forward row is the steady rate: in each round, after
 * the settle, 100 ms of untimed calls and then 200 ms timed ({@link MeasureRounds#measureSteady});
 * the first call after the settle's pause has its own row (latency, both engines). The batch-64 and
 * gradient rows time a round of {@code iterations} calls straight after the settle (a call there
 * takes 20-60 ms, so the first call's extra cost is a few percent of a round).
 */
final class ImportedBench {
    static final String[] MODELS = {"resnet18", "mobilenet_v2"};
    static final int C = 3, H = 32, W = 32, CLASSES = 10, GRAD_BATCH = 64;
    static final int[] FORWARD_BATCHES = {1, 64};

    private ImportedBench() {}

    static int run(Path dir, SideBySide.Options o, PrintStream out) throws Exception {
        try (Peers peers = o.peers().open()) {
            return run(dir, o, peers, out);
        }
    }

    private static int run(Path dir, SideBySide.Options o, Peers peers, PrintStream out) throws Exception {
        Parallel.setThreads(o.threads());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("loadAverageAtStart", SideBySide.Machine.loadAverage());
        json.put("threads", o.threads());
        out.printf("feint bench --imported %s: %d thread(s), %d rounds x %d iterations (median), load %s%n", dir, o.threads(), o.rounds(),
                o.iterations(), SideBySide.Machine.loadAverage());
        out.printf("machine: %s; ONNX Runtime %s; %s%n", SideBySide.Machine.describe(), peers.ortVersion(), peers.torchVersion(o.threads()));
        out.printf("peers: %s%n", peers.line());
        json.put("peers", peers.describe());
        int found = 0;
        boolean agree = true;
        for (String name : MODELS) {
            Path onnx = dir.resolve(name + ".onnx"), pt = dir.resolve(name + ".pt");
            if (!Files.isRegularFile(onnx)) {
                out.printf("%s: %s missing (run scripts/make-bench-models.py %s)%n", name, onnx, dir);
                continue;
            }
            found++;
            Map<String, Object> m = new LinkedHashMap<>();
            agree &= model(name, onnx, Files.isRegularFile(pt) ? pt : null, o, peers, out, m);
            json.put(name, m);
        }
        if (o.json() != null) Files.writeString(o.json(), Json.write(json) + "\n");
        if (found == 0) return 2;
        return agree ? 0 : 2;
    }

    private static boolean model(String name, Path onnx, Path pt, SideBySide.Options o, Peers peers, PrintStream out, Map<String, Object> json)
            throws Exception {
        OnnxModel feint = OnnxModel.load(onnx, InputPreprocessing.DEFAULT, null);
        out.printf("%n%s: %,d parameters; fused: %s%n", name, ((Graph) feint.imported().graph()).parameterCount(), fusedSummary(feint.imported()));
        float[] x2 = images(2 * C * H * W, 3);
        float[] ref = logits(feint, x2, 2);
        try (Peers.Ort ort = peers.ort(onnx, o.threads())) {
            float d = relative(ort.logits(new Peers.Input(3, 2, C, H, W)), ref);
            out.printf("  agreement: ONNX Runtime logits max rel diff %.2e%n", d);
            if (d > 1e-4f) { out.println("  DISAGREE: ONNX Runtime"); return false; }
        }
        Peers.Script torch = null;
        if (pt != null) {
            torch = peers.script(pt, o.threads(), CLASSES);
            int[] y2 = {3, 7};
            Peers.Input in2 = new Peers.Input(3, 2, C, H, W);
            float dl = relative(torch.logits(in2), ref);
            float[] gf = feint.gradient(Tensor.of(x2.clone(), 2, C, H, W), LossFunction.crossEntropy(y2), null).grad();
            float dg = relative(torch.inputGradient(in2, y2), gf);
            out.printf("  agreement: PyTorch logits max rel diff %.2e, input gradient %.2e%n", dl, dg);
            if (dl > 1e-4f || dg > 1e-3f) { out.println("  DISAGREE: PyTorch"); torch.close(); return false; }
        }
        try (FrozenWeights frozen = FrozenWeights.open()) {
            for (int n : FORWARD_BATCHES) {
                float[] x = images(n * C * H * W, 10 + n);
                try (Peers.Ort ort = peers.ort(onnx, o.threads()); Peers.Timed t = ort.forward(new Peers.Input(10 + n, n, C, H, W))) {
                    MeasureRounds.Engine f = MeasureRounds.Engine.local(() -> logits(feint, x, n));
                    if (n == 1) {
                        steadyBatch1(o, out, json, f, t);
                        continue;
                    }
                    SideBySide.Rate[] r = MeasureRounds.measureAll(o, n, f, t);
                    out.printf("  forward batch %-3d  Feint %8.1f img/s   ONNX Runtime %8.1f img/s   ratio %.2fx%n", n, r[0].median(), r[1].median(),
                            r[0].median() / r[1].median());
                    json.put("forwardBatch" + n, Map.of("feint", r[0].toMap(), "ort", r[1].toMap(), "feintOverOrtRatio", r[0].median() / r[1].median()));
                }
            }
            if (torch != null) {
                int n = GRAD_BATCH;
                float[] x = images(n * C * H * W, 20);
                int[] y = new int[n];
                for (int i = 0; i < n; i++) y[i] = i % CLASSES;
                float[] into = new float[x.length];
                SideBySide.Rate[] r;
                try (Peers.Timed g = torch.gradient(new Peers.Input(20, n, C, H, W), y)) {
                    r = MeasureRounds.measureAll(o, n, MeasureRounds.Engine.local(() -> feint.gradient(Tensor.of(x, n, C, H, W), LossFunction.crossEntropy(y), into)), g);
                }
                out.printf("  input gradient %d  Feint %8.1f img/s   PyTorch      %8.1f img/s   ratio %.2fx%n", n, r[0].median(), r[1].median(),
                        r[0].median() / r[1].median());
                json.put("gradientBatch" + n, Map.of("feint", r[0].toMap(), "pytorch", r[1].toMap(), "feintOverPytorchRatio", r[0].median() / r[1].median()));
                torch.close();
            }
            for (int n : FORWARD_BATCHES) {
                Map<String, Double> profile = profile(feint, o, n);
                StringBuilder s = new StringBuilder("  forward batch " + n + " by op (ms per call):");
                profile.forEach((k, v) -> s.append(String.format(" %s %.2f;", k, v)));
                out.println(s);
                json.put("forwardProfileMsBatch" + n, profile);
            }
        }
        return true;
    }

    /**
     * The batch-1 forward rows: the steady rate ({@link MeasureRounds#measureSteady}: per round, after
     * the settle and {@link MeasureRounds#STEADY_WARM_NANOS} of untimed calls, a timed stretch of
     * {@link MeasureRounds#STEADY_TIMED_NANOS}), and on its own row the first call after the settle's
     * 200 ms pause, the latency an application sees after being idle (median over rounds).
     */
    private static void steadyBatch1(SideBySide.Options o, PrintStream out, Map<String, Object> json, MeasureRounds.Engine feint, MeasureRounds.Engine ort)
            throws Exception {
        MeasureRounds.Steady[] r = MeasureRounds.measureSteady(o, MeasureRounds.STEADY_WARM_NANOS, MeasureRounds.STEADY_TIMED_NANOS, 1, feint, ort);
        double f = r[0].rate().median(), g = r[1].rate().median();
        out.printf("  forward batch 1    Feint %8.1f img/s   ONNX Runtime %8.1f img/s   ratio %.2fx   (steady: %d ms timed per round after %d ms warm)%n", f, g, f / g,
                MeasureRounds.STEADY_TIMED_NANOS / 1_000_000, MeasureRounds.STEADY_WARM_NANOS / 1_000_000);
        double fc = r[0].firstCallMedianNanos() / 1e6, oc = r[1].firstCallMedianNanos() / 1e6;
        out.printf("  first call after a %d ms pause, batch 1: Feint %.2f ms   ONNX Runtime %.2f ms   (ONNX Runtime / Feint %.2fx)%n", MeasureRounds.SETTLE_MS, fc, oc,
                oc / fc);
        json.put("forwardBatch1", Map.of("feint", r[0].rate().toMap(), "ort", r[1].rate().toMap(), "feintOverOrtRatio", f / g, "measure",
                "steady: per round, settle, the first call, " + MeasureRounds.STEADY_WARM_NANOS / 1_000_000 + " ms untimed, then "
                        + MeasureRounds.STEADY_TIMED_NANOS / 1_000_000 + " ms timed"));
        json.put("firstCallAfterPauseBatch1", Map.of("pauseMs", MeasureRounds.SETTLE_MS, "feintMs", fc, "ortMs", oc, "ortOverFeintRatio", oc / fc,
                "feintRoundsMs", millis(r[0].firstCallNanos()), "ortRoundsMs", millis(r[1].firstCallNanos())));
    }

    private static double[] millis(double[] nanos) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < ms.length; i++) ms[i] = nanos[i] / 1e6;
        return ms;
    }

    /** Seeded uniform [0, 1) values. */
    static float[] images(int size, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble();
        return x;
    }

    private static float[] logits(OnnxModel m, float[] x, int n) { return m.logits(Tensor.of(x, n, C, H, W)).data(); }

    /**
     * Where the forward time goes: each node's op timed, summed by op kind, the mean of a few calls
     * after as many again times {@link #PROFILE_WARM} untimed ones, each in an {@link Arena} as
     * {@link OnnxModel#logits} runs. Timed straight after the gradient rounds, with one call of warm-up
     * and fresh activation arrays, resnet18's batch-1 line read 2.1 ms a call against 0.64 ms for
     * the same forward warm in an arena.
     */
    static Map<String, Double> profile(OnnxModel m, SideBySide.Options o, int batch) {
        OnnxImport.Imported imp = m.imported();
        Graph g = imp.graph();
        Map<String, String> kinds = new HashMap<>();
        List<OnnxProto.Node> nodes = imp.model().graph().nodes();
        for (int i = 0; i < nodes.size(); i++) kinds.put(nodes.get(i).name().isEmpty() ? nodes.get(i).opType() + "_" + i : nodes.get(i).name(), nodes.get(i).opType());
        Map<String, long[]> nanos = new TreeMap<>();
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (Graph.GraphNode n : g.nodes()) {
            String kind = n.op().getClass().isRecord() ? n.op().getClass().getSimpleName() : kinds.getOrDefault(n.name(), "?");
            long[] acc = nanos.computeIfAbsent(kind, k -> new long[1]);
            Graph.Op op = n.op();
            timed.add(new Graph.GraphNode(n.name(), (in, tr) -> {
                long t0 = System.nanoTime();
                Tensor[] r = op.apply(in, tr);
                acc[0] += System.nanoTime() - t0;
                return r;
            }, n.inputs(), n.outputs()));
        }
        Graph p = g.withNodes(timed);
        p.eval();
        Tensor x = Tensor.of(images(batch * C * H * W, 5), batch, C, H, W);
        int calls = Math.max(3, o.iterations());
        try (var ng = Grad.noGrad()) {
            for (int i = 0; i < PROFILE_WARM * calls; i++) forward(p, x);
            for (long[] a : nanos.values()) a[0] = 0;
            for (int i = 0; i < calls; i++) forward(p, x);
        }
        Map<String, Double> ms = new LinkedHashMap<>();
        nanos.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> ms.put(e.getKey(), e.getValue()[0] / 1e6 / calls));
        return ms;
    }

    /** Untimed calls per timed call before the profile's timed ones. */
    static final int PROFILE_WARM = 5;

    private static void forward(Graph g, Tensor x) {
        try (var arena = Arena.open()) {
            g.forward(x);
        }
    }

    private static String fusedSummary(OnnxImport.Imported imp) {
        Map<String, Integer> h = new TreeMap<>();
        for (Graph.GraphNode n : imp.graph().nodes()) if (n.op().getClass().isRecord()) h.merge(n.op().getClass().getSimpleName(), 1, Integer::sum);
        return h.toString();
    }

    private static float relative(float[] got, float[] want) {
        return SideBySide.maxAbsDiff(got, want) / Math.max(SideBySide.maxAbs(want), 1e-12f);
    }
}
