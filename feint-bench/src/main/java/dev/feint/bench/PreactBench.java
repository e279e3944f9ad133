package dev.feint.bench;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.model.LossFunction;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code feint bench --preact [DIR] [--width N]}: Feint's preact-resnet18 (3x32x32, 10 classes)
 * against PyTorch's PreActResNet-18 (libtorch through DJL, a {@code torch.jit.script} module) on the
 * same weights, both written by scripts/make-preact-bench-model.py into DIR
 * ({@code preact-resnet18-wN.pt} and {@code .safetensors}, loaded by Feint by their state_dict
 * names). Agreement first: eval-mode logits (1e-4 of the largest), input gradient and one SGD update
 * of the first conv (1e-3 relative), train-mode logits (2e-4); then, rounds interleaved as in
 * {@link SideBySide}: forward and PGD step (eval mode, weights frozen; the sign step and projection
 * in Java for both) at batch 1 and {@code --batch}, and a training step (forward, backward, plain SGD,
 * BatchNorm on batch statistics) at {@code --batch}.
 */
final class PreactBench {
    static final int C = 3, H = 32, W = 32, CLASSES = 10;
    static final float EPS = 8f / 255, ALPHA = 2f / 255, LR = 0.01f, TRAIN_LOGIT_TOL = 2e-4f;

    private PreactBench() {}

    /** Where the model files are cached by default: {@code ~/.cache/feint/preact-bench}. */
    static Path defaultDir() { return Path.of(System.getProperty("user.home"), ".cache", "feint", "preact-bench"); }

    /** DIR/preact-resnet18-wN.{pt,safetensors}, or a clear error saying how to make them. */
    static Path[] files(Path dir, int width) {
        String base = "preact-resnet18-w" + width;
        Path pt = dir.resolve(base + ".pt"), st = dir.resolve(base + ".safetensors");
        for (Path p : new Path[] {pt, st})
            if (!Files.isRegularFile(p))
                throw new FeintException("--preact: " + p + " not found; write it with /usr/bin/python3 scripts/make-preact-bench-model.py "
                        + dir + " " + width);
        return new Path[] {pt, st};
    }

    /** preact-resnet18-wN with the weights and BatchNorm statistics of a PyTorch state_dict file, by name. */
    static Network load(Path safetensors, int width) {
        Network net = Network.create(Presets.get(width == 64 ? "preact-resnet18" : "preact-resnet18-w" + width, C, H, W, CLASSES), 1);
        Map<String, Tensor> t = Safetensors.read(safetensors).tensors();
        for (var e : net.body().namedParameters().entrySet()) copy(t, safetensors, e.getKey(), e.getValue().data());
        for (var e : net.body().namedBuffers().entrySet()) copy(t, safetensors, e.getKey(), e.getValue());
        return net;
    }

    private static void copy(Map<String, Tensor> t, Path file, String name, float[] into) {
        Tensor src = t.get(name);
        if (src == null || src.size() != into.length)
            throw new FeintException(file + ": tensor " + name + (src == null ? " missing" : " has " + src.size() + " values")
                    + ", expected " + into.length + " (the state_dict of PreActResNet-18 of the same width)");
        System.arraycopy(src.data(), 0, into, 0, into.length);
    }

    /** The agreement figures (relative differences) and whether all are within tolerance. */
    record Agreement(float logits, float gradient, float trainLogits, float sgdUpdate) {
        boolean ok() {
            return logits <= SideBySide.LOGIT_TOL && gradient <= SideBySide.GRAD_REL_TOL && trainLogits <= TRAIN_LOGIT_TOL
                    && sgdUpdate <= SideBySide.GRAD_REL_TOL;
        }

        Map<String, Object> toMap() {
            return Map.of("evalLogits", logits, "inputGradient", gradient, "trainLogits", trainLogits, "sgdUpdateConv1", sgdUpdate);
        }
    }

    /**
     * On 4 seeded images: eval logits and the summed cross-entropy's input gradient; then, on fresh
     * copies from the files, train-mode logits and one SGD step of lr 1 (the update is then not lost
     * in the weights' rounding), compared on the first conv's weight.
     */
    static Agreement agreement(Network eval, TorchScriptPeer torch, Path pt, Path safetensors, int width, int threads) {
        int n = 4;
        float[] x = ImportedBench.images(n * C * H * W, 3);
        int[] y = {3, 1, 7, 0};
        eval.eval();
        float[] ref = SideBySide.feintLogits(eval, x, n, C, H, W);
        float dl = relative(torch.logits(x, n, C, H, W), ref);
        float[] gf = NetworkModel.of(eval).gradient(Tensor.of(x.clone(), n, C, H, W), LossFunction.crossEntropy(y), null).grad();
        float dg = relative(torch.inputGradient(x, y, n, C, H, W), gf);
        Network fresh = load(safetensors, width);
        fresh.train();
        float[] w0 = fresh.body().namedParameters().get("conv1.weight").data().clone();
        try (TorchScriptPeer t = TorchScriptPeer.training(pt, threads, CLASSES)) {
            float dt = relative(t.logits(x, n, C, H, W), fresh.forward(Tensor.of(x.clone(), n, C, H, W)).data());
            new SideBySide.FeintTrain(fresh, Tensor.of(x, n, C, H, W), y, 1f).step();
            t.trainStep(x, y, 1f, n, C, H, W);
            float[] fw = fresh.body().namedParameters().get("conv1.weight").data(), tw = t.parameter(0);
            float[] update = new float[fw.length];
            for (int i = 0; i < fw.length; i++) update[i] = fw[i] - w0[i];
            float du = SideBySide.maxAbsDiff(fw, tw) / Math.max(1e-30f, SideBySide.maxAbs(update));
            return new Agreement(dl, dg, dt, du);
        }
    }

    static int run(Path dir, int width, SideBySide.Options o, PrintStream out) throws Exception {
        Path[] f = files(dir, width);
        Parallel.setThreads(o.threads());
        DjlPeer.configure(o.threads());
        int n = o.batch();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "preact-resnet18-w" + width + " 3x32x32 -> 10, weights from " + f[1]);
        json.put("batch", n);
        json.put("threads", o.threads());
        json.put("quick", o.quick());
        json.put("machine", SideBySide.Machine.describe());
        json.put("loadAverageAtStart", SideBySide.Machine.loadAverage());
        out.printf("feint bench --preact %s --width %d: batch %d, %d thread(s), %d rounds x %d iterations (median), load %s%n", dir, width, n,
                o.threads(), o.rounds(), o.iterations(), SideBySide.Machine.loadAverage());
        out.printf("machine: %s; %s%n", SideBySide.Machine.describe(), DjlPeer.version());
        Network net = load(f[1], width);
        out.printf("preact-resnet18-w%d: %,d parameters%n", width, net.body().parameterCount());
        try (TorchScriptPeer torch = new TorchScriptPeer(f[0], o.threads(), CLASSES)) {
            Agreement a = agreement(net, torch, f[0], f[1], width, o.threads());
            json.put("agreement", a.toMap());
            out.printf("agreement vs PyTorch: eval logits %.2e (tol %.0e), input gradient %.2e (tol %.0e), train-mode logits %.2e (tol %.0e), "
                            + "SGD update %.2e (tol %.0e)%n", a.logits(), SideBySide.LOGIT_TOL, a.gradient(), SideBySide.GRAD_REL_TOL, a.trainLogits(),
                    TRAIN_LOGIT_TOL, a.sgdUpdate(), SideBySide.GRAD_REL_TOL);
            if (!a.ok()) {
                out.println("FAILED: PyTorch's results do not agree with Feint's; no timings taken.");
                if (o.json() != null) Json.writeFile(o.json(), json);
                return 2;
            }
            out.printf("%n%-34s %12s %12s %12s%n", "img/s (median)", "Feint", "PyTorch", "Feint/PyTorch");
            try (FrozenWeights frozen = FrozenWeights.open()) {
                for (int b : n == 1 ? new int[] {1} : new int[] {1, n}) {
                    float[] x = ImportedBench.images(b * C * H * W, 10 + b);
                    int[] y = labels(b);
                    SideBySide.Rate[] fw = MeasureRounds.measureAll(o, b, () -> SideBySide.feintLogits(net, x, b, C, H, W),
                            () -> torch.logits(x, b, C, H, W));
                    row(out, json, "forward batch " + b, "forwardBatch" + b, fw);
                    NetworkModel model = NetworkModel.of(net);
                    float[] into = new float[x.length];
                    PgdStep fp = new PgdStep(x, EPS, ALPHA, xa -> model.gradient(Tensor.of(xa, b, C, H, W), LossFunction.crossEntropy(y), into).grad());
                    PgdStep tp = new PgdStep(x, EPS, ALPHA, xa -> torch.inputGradient(xa, y, b, C, H, W));
                    row(out, json, "PGD step batch " + b, "pgdStepBatch" + b, MeasureRounds.measureAll(o, b, fp::step, tp::step));
                }
            }
            float[] x = ImportedBench.images(n * C * H * W, 30);
            int[] y = labels(n);
            Network tn = load(f[1], width);
            SideBySide.FeintTrain ft = new SideBySide.FeintTrain(tn, Tensor.of(x, n, C, H, W), y, LR);
            try (TorchScriptPeer tt = TorchScriptPeer.training(f[0], o.threads(), CLASSES)) {
                row(out, json, "training step batch " + n, "trainBatch" + n, MeasureRounds.measureAll(o, n, ft::step, () -> tt.trainStep(x, y, LR, n, C, H, W)));
            }
        }
        json.put("loadAverageAtEnd", SideBySide.Machine.loadAverage());
        out.printf("load average at end: %s%n", SideBySide.Machine.loadAverage());
        if (o.json() != null) {
            Json.writeFile(o.json(), json);
            out.println("wrote " + o.json());
        }
        return 0;
    }

    private static void row(PrintStream out, Map<String, Object> json, String name, String key, SideBySide.Rate[] r) {
        double ratio = r[0].median() / r[1].median();
        out.printf("%-34s %12.1f %12.1f %12.2f%n", name, r[0].median(), r[1].median(), ratio);
        json.put(key, Map.of("feint", r[0].toMap(), "pytorch", r[1].toMap(), "feintOverPytorchRatio", ratio));
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % CLASSES;
        return y;
    }

    private static float relative(float[] got, float[] want) {
        return SideBySide.maxAbsDiff(got, want) / Math.max(SideBySide.maxAbs(want), 1e-12f);
    }
}
