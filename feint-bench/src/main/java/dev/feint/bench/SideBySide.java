package dev.feint.bench;

import dev.feint.onnx.OnnxExport;
import dev.feint.autograd.Grad;
import dev.feint.io.Json;
import dev.feint.loss.Losses;
import dev.feint.model.LossFunction;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.optim.Sgd;
import dev.feint.tensor.Arena;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The side-by-side harness of issue 3: madry-cnn (fixed random weights, seed 42) in Feint, in ONNX
 * Runtime (the same weights through {@link OnnxExport}) and in PyTorch through DJL (the same weights
 * copied), one run; each peer by default in a JVM of its own ({@link Peers}). Checks that the peers' logits agree with Feint's to 1e-4 (and the
 * input gradients to 1e-3 relative) before timing anything, then measures forward, PGD-step and
 * training throughput, prints a table and optionally writes JSON. Peers that cannot load are
 * reported as unavailable with the reason; a disagreement fails the run (exit code 2).
 *
 * <p>Every figure is the median over rounds of (images processed / wall time) after warm-up; each
 * round is {@code iterations} calls on one batch.
 */
public final class SideBySide {
    /** Forward multiply-adds of madry-cnn on 1x28x28, times two: 27.77 MFLOP per image. */
    static final double MADRY_FLOP_PER_IMAGE = 2.0 * (28 * 28 * 32 * 25 + 14 * 14 * 64 * 32 * 25 + 3136 * 1024 + 1024 * 10);
    static final float LOGIT_TOL = 1e-4f, GRAD_REL_TOL = 1e-3f;
    static final float EPS = 0.3f, ALPHA = 0.01f, LR = 0.01f;
    static final int C = 1, H = 28, W = 28, CLASSES = 10;
    static final long SEED = 42;

    record Options(int batch, int threads, int iterations, boolean quick, Path json, Path onnx, boolean scaling, Peers.Setting peers) {
        /** Peers in this JVM (the benchmarks that have only in-process peers). */
        Options(int batch, int threads, int iterations, boolean quick, Path json, Path onnx, boolean scaling) {
            this(batch, threads, iterations, quick, json, onnx, scaling, Peers.Setting.IN_PROCESS);
        }

        int rounds() { return quick ? 2 : 5; }
        int warmup() { return quick ? 2 : 5; }
        /** Warm-up also lasts at least this long per engine, so the JIT has compiled the hot loops. */
        long warmupNanos() { return quick ? 700_000_000L : 2_000_000_000L; }
    }

    /** Median and best images/s over rounds. */
    record Rate(double median, double best, double[] rounds) {
        Map<String, Object> toMap() {
            var m = new LinkedHashMap<String, Object>();
            m.put("median", median);
            m.put("best", best);
            m.put("rounds", rounds);
            return m;
        }
    }

    @FunctionalInterface interface Body { void run() throws Exception; }

    private SideBySide() {}

    /**
     * Runs {@code feint bench} without the CLI (the shaded jar's main class).
     *
     * @param args the options of {@link BenchCommand}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    static Network network() {
        Architecture arch = Presets.get("madry-cnn", C, H, W, CLASSES);
        return Network.create(arch, SEED);
    }

    static float[] images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * C * H * W];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return x;
    }

    static int[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(CLASSES);
        return y;
    }

    static float[] feintLogits(Network net, float[] x, int n) { return feintLogits(net, x, n, C, H, W); }

    /** The forward as {@code NetworkModel.logits} runs it: activations from the arena, the logits copied out. */
    static float[] feintLogits(Network net, float[] x, int n, int c, int h, int w) {
        try (var g = Grad.noGrad(); var arena = Arena.open()) {
            return net.forward(Tensor.of(x, n, c, h, w)).data().clone();
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) return Float.POSITIVE_INFINITY;
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Feint's PGD step on one batch, the gradient buffer reused across steps. */
    static final class FeintPgd {
        private final PgdStep pgd;

        FeintPgd(Network net, float[] x, int[] y, int n) {
            NetworkModel model = NetworkModel.of(net);
            float[] grad = new float[x.length];
            pgd = new PgdStep(x, EPS, ALPHA, xa -> model.gradient(Tensor.of(xa, n, C, H, W), LossFunction.crossEntropy(y), grad).grad());
        }

        void step() { pgd.step(); }
    }

    /** Feint's SGD training step (plain SGD, mean cross-entropy) on its own copy of the network. */
    static final class FeintTrain {
        final Network net;
        final Sgd opt;
        final Tensor x;
        final int[] y;

        FeintTrain(float[] x, int[] y, int n, float lr) { this(network(), Tensor.of(x, n, C, H, W), y, lr); }

        /** On {@code net}, put in train mode (BatchNorm on batch statistics). */
        FeintTrain(Network net, Tensor x, int[] y, float lr) {
            this.net = net.train();
            opt = new Sgd(List.copyOf(net.body().namedParameters().values()), lr, 0f, false, 0f);
            this.x = x;
            this.y = y;
        }

        /** One step as {@code Trainer} runs it: in an Arena scope, reusing the previous step's activations. */
        void step() {
            try (var arena = Arena.open()) {
                net.body().recycleGrads();        // as Trainer: the gradients' arrays written again
                Losses.crossEntropy(net.forward(x), y).backward();
                opt.step();
            }
        }
    }

    static int run(Options o, PrintStream out) throws Exception {
        try (Peers peers = o.peers().open()) {
            return run(o, peers, out);
        }
    }

    private static int run(Options o, Peers peers, PrintStream out) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int n = o.batch(), t = o.threads();
        var json = new LinkedHashMap<String, Object>();
        var errors = new ArrayList<String>();
        boolean mismatch = false;
        json.put("model", "madry-cnn 1x28x28 -> 10, fixed random weights (seed " + SEED + ")");
        json.put("batch", n);
        json.put("threads", t);
        json.put("iterationsPerRound", o.iterations());
        json.put("rounds", o.rounds());
        json.put("warmup", "per engine, at least " + o.warmup() + " calls and " + o.warmupNanos() / 1_000_000 + " ms");
        json.put("quick", o.quick());
        json.put("machine", Machine.describe());
        json.put("loadAverageAtStart", Machine.loadAverage());
        json.put("flopPerImageForward", MADRY_FLOP_PER_IMAGE);
        json.put("peers", peers.describe());
        out.printf("feint bench: madry-cnn, batch %d, %d thread(s), %d rounds x %d iterations (median), load %s%n",
                n, t, o.rounds(), o.iterations(), Machine.loadAverage());
        out.printf("machine: %s%n", Machine.describe());
        out.printf("peers: %s%n", peers.line());

        Parallel.setThreads(t);
        Network net = network();
        net.eval();
        float[] x = images(n, 7);
        int[] y = labels(n, 8);
        float[] ref = feintLogits(net, x, n).clone();

        // ---- set up every engine and check agreement before timing anything ----------------
        FeintPgd fp = new FeintPgd(net, x, y, n);
        FeintTrain ft = new FeintTrain(x, y, n, LR);

        Peers.Input xin = new Peers.Input(7, n, C, H, W);
        var ort = new LinkedHashMap<String, Object>();
        json.put("onnxRuntime", ort);
        Peers.Ort ortPeer = null;
        Path onnx = o.onnx();
        try {
            if (onnx == null) onnx = Files.createTempFile("feint-madry-cnn", ".onnx");
            OnnxExport.write(net, onnx);
            ort.put("onnxFile", o.onnx() != null ? onnx.toString() : "(temporary)");
            String version = peers.ortVersion();
            ort.put("version", version);
            ortPeer = peers.ort(onnx, t);
            float d = maxAbsDiff(ref, ortPeer.logits(xin));
            ort.put("maxAbsLogitDiff", d);
            out.printf("ONNX Runtime %s: logits max |diff| vs Feint = %.2e (tolerance %.0e)%n", version, d, LOGIT_TOL);
            if (!(d <= LOGIT_TOL)) {
                mismatch = true;
                errors.add("ONNX Runtime logits differ from Feint's by " + d + " > " + LOGIT_TOL);
                ortPeer.close();
                ortPeer = null;
            }
        } catch (PeerProcess.Failure e) {
            throw e;
        } catch (Throwable e) {
            ort.put("unavailable", String.valueOf(e));
            errors.add("ONNX Runtime unavailable: " + e);
            ortPeer = null;
        } finally {
            if (o.onnx() == null && onnx != null) Files.deleteIfExists(onnx);
        }

        var pt = new LinkedHashMap<String, Object>();
        json.put("pytorch", pt);
        Peers.Torch torch = null;
        try {
            torch = peers.torch(t);
            pt.put("version", torch.version());
            pt.put("intraOpThreads", torch.threads());
            float d = maxAbsDiff(ref, torch.logits(xin));
            pt.put("maxAbsLogitDiff", d);
            float[] gt = torch.inputGradient(xin, 8);
            float[] gf = NetworkModel.of(net).gradient(Tensor.of(x.clone(), n, C, H, W), LossFunction.crossEntropy(y), null).grad();
            float gd = maxAbsDiff(gf, gt) / Math.max(1e-30f, maxAbs(gf));
            pt.put("maxRelInputGradientDiff", gd);
            // One SGD step (lr 1, so the update is not lost in the weights' rounding) on fresh copies:
            // the updated weights must agree too.
            FeintTrain once = new FeintTrain(x, y, n, 1f);
            once.step();
            float[] fw = once.net.body().namedParameters().get("0.weight").data(), tw = torch.sgdStepConv1(xin, 8);
            float[] w0 = net.body().namedParameters().get("0.weight").data();
            float[] df = new float[fw.length];
            for (int i = 0; i < fw.length; i++) df[i] = fw[i] - w0[i];
            float wd = maxAbsDiff(fw, tw) / Math.max(1e-30f, maxAbs(df));
            pt.put("maxRelSgdUpdateDiff", wd);
            out.printf("%s, %d intra-op threads: logits max |diff| vs Feint = %.2e (tolerance %.0e); "
                            + "input gradient max diff / max |g| = %.2e, SGD update (conv1 weight) max diff / max |update| = %.2e (tolerance %.0e)%n",
                    torch.version(), torch.threads(), d, LOGIT_TOL, gd, wd, GRAD_REL_TOL);
            if (!(d <= LOGIT_TOL) || !(gd <= GRAD_REL_TOL) || !(wd <= GRAD_REL_TOL)) {
                mismatch = true;
                errors.add("PyTorch disagrees with Feint: logits diff " + d + ", input-gradient rel diff " + gd + ", SGD-update rel diff " + wd);
                torch.close();
                torch = null;
            }
        } catch (PeerProcess.Failure e) {
            throw e;
        } catch (Throwable e) {
            pt.put("unavailable", String.valueOf(e));
            errors.add("PyTorch (DJL) unavailable: " + e);
            if (torch != null) torch.close();
            torch = null;
        }

        // ---- timing: rounds interleaved across engines, so a load change hits all alike -----
        out.println("measuring forward ...");
        // Feint's forward and PGD step run as an attack does, in a FrozenWeights scope (weights
        // packed once, as an ONNX Runtime session does); its training step packs every step.
        FrozenWeights frozen = FrozenWeights.open();
        Rate fFwd, oFwd, pFwd;
        try (Peers.Timed of = ortPeer == null ? null : ortPeer.forward(xin); Peers.Timed pf = torch == null ? null : torch.forward(xin)) {
            Rate[] fwd = MeasureRounds.measureAll(o, n, MeasureRounds.Engine.local(() -> feintLogits(net, x, n)), of, pf);
            fFwd = fwd[0];
            oFwd = fwd[1];
            pFwd = fwd[2];
        }
        if (ortPeer != null) ortPeer.close();
        out.println("measuring PGD step ...");
        Rate fPgd, pPgd = null;
        if (torch != null) {
            try (Peers.Timed pgd = torch.pgd(xin, 8, EPS, ALPHA)) {
                Rate[] r = MeasureRounds.measureAll(o, n, MeasureRounds.Engine.local(fp::step), pgd);
                fPgd = r[0];
                pPgd = r[1];
            }
        } else fPgd = MeasureRounds.measureAll(o, n, fp::step)[0];
        frozen.close();
        out.println("measuring training step ...");
        Rate fTrain, pTrain;
        try (Peers.Timed train = torch == null ? null : torch.train(xin, 8, LR)) {
            Rate[] tr = MeasureRounds.measureAll(o, n, MeasureRounds.Engine.local(ft::step), train);
            fTrain = tr[0];
            pTrain = tr[1];
        }
        if (torch != null) torch.close();

        var feint = new LinkedHashMap<String, Object>();
        feint.put("forwardImagesPerSec", fFwd.median());
        feint.put("forwardGflops", fFwd.median() * MADRY_FLOP_PER_IMAGE * 1e-9);
        feint.put("pgdStepImagesPerSec", fPgd.median());
        feint.put("trainImagesPerSec", fTrain.median());
        feint.put("forward", fFwd.toMap());
        feint.put("pgdStep", fPgd.toMap());
        feint.put("train", fTrain.toMap());
        json.put("feint", feint);
        if (oFwd != null) {
            ort.put("forwardImagesPerSec", oFwd.median());
            ort.put("forwardGflops", oFwd.median() * MADRY_FLOP_PER_IMAGE * 1e-9);
            ort.put("forward", oFwd.toMap());
        }
        if (pFwd != null) {
            pt.put("forwardImagesPerSec", pFwd.median());
            pt.put("forwardGflops", pFwd.median() * MADRY_FLOP_PER_IMAGE * 1e-9);
            pt.put("pgdStepImagesPerSec", pPgd.median());
            pt.put("trainImagesPerSec", pTrain.median());
            pt.put("forward", pFwd.toMap());
            pt.put("pgdStep", pPgd.toMap());
            pt.put("train", pTrain.toMap());
        }

        // ---- ratios and table --------------------------------------------------------------
        var ratios = new LinkedHashMap<String, Object>();
        ratios.put("forwardRatioVsOnnxRuntime", ratio(fFwd, oFwd));
        ratios.put("forwardRatioVsPyTorch", ratio(fFwd, pFwd));
        ratios.put("pgdStepRatioVsPyTorch", ratio(fPgd, pPgd));
        ratios.put("trainRatioVsPyTorch", ratio(fTrain, pTrain));
        json.putAll(ratios);

        out.println();
        out.printf("%-34s %14s %14s %14s%n", "batch " + n + ", " + t + " threads", "Feint", "peer", "Feint/peer");
        row(out, "forward, img/s  vs ONNX Runtime", fFwd, oFwd);
        row(out, "forward, img/s  vs PyTorch", fFwd, pFwd);
        row(out, "PGD step, img-steps/s vs PyTorch", fPgd, pPgd);
        row(out, "training (SGD), img/s vs PyTorch", fTrain, pTrain);
        out.printf("Feint forward: %.1f GFLOP/s (%.2f MFLOP/image)%n", fFwd.median() * MADRY_FLOP_PER_IMAGE * 1e-9, MADRY_FLOP_PER_IMAGE * 1e-6);

        // ---- peak and scaling --------------------------------------------------------------
        if (o.scaling()) {
            out.println();
            out.println("estimating FMA peak (PeakFlops: independent FloatVector FMA chains, best of 10) ...");
            double peak1 = PeakFlops.measure(1), peak2 = PeakFlops.measure(2);
            json.put("peakGflops1Thread", peak1);
            json.put("peakGflops2Threads", peak2);
            out.printf("peak: %.1f GFLOP/s on 1 thread, %.1f on 2; Feint forward at batch %d = %.0f%% of the %d-thread peak%n",
                    peak1, peak2, n, 100 * fFwd.median() * MADRY_FLOP_PER_IMAGE * 1e-9 / (t >= 2 ? peak2 : peak1), t);
            try (var frozenScaling = FrozenWeights.open()) {
                json.put("scaling", scaling(o, net, peers, out));
            }
        }
        Parallel.setThreads(t);

        json.put("loadAverageAtEnd", Machine.loadAverage());
        json.put("errors", errors);
        out.printf("load average at end: %s%n", Machine.loadAverage());
        for (String e : errors) out.println("ERROR: " + e);
        if (o.json() != null) {
            Json.writeFile(o.json(), json);                  // temporary file, then moved into place
            out.println("wrote " + o.json());
        }
        if (mismatch) {
            out.println("FAILED: a peer's results do not agree with Feint's; its timings were not taken.");
            return 2;
        }
        return 0;
    }

    private static Object ratio(Rate feint, Rate peer) {
        return peer == null ? null : feint.median() / peer.median();
    }

    private static void row(PrintStream out, String name, Rate f, Rate p) {
        if (p == null) out.printf("%-34s %14.0f %14s %14s%n", name, f.median(), "n/a", "n/a");
        else out.printf("%-34s %14.0f %14.0f %14.2f%n", name, f.median(), p.median(), f.median() / p.median());
    }

    static final int[] SCALING_BATCHES = {1, 32, 128, 512}, SCALING_THREADS = {1, 2};

    /**
     * Rounds per engine of a scaling row: three even with --quick, so the median sets aside one
     * round that another tenant's burst hit (two rounds made it a mean: single quick runs swung
     * batch 32 x 2 threads loaded between 0.86x and 1.95x ONNX Runtime).
     */
    static int scalingRounds(Options o) { return Math.max(3, o.rounds()); }

    /**
     * The shortest scaling round, whatever the batch: a few calls of batch 32 took 12-25 ms, so one
     * scheduler slice given to another process moved a whole round.
     */
    static long scalingMinRoundNanos(Options o) { return o.quick() ? 100_000_000L : 250_000_000L; }

    /**
     * The shortest turn of an engine within a scaling round ({@link MeasureRounds#measureTurns}): long next to
     * a wake-up after the pause and to refilling the L2 the other engine's turn used.
     */
    static final long SCALING_BLOCK_NANOS = 34_000_000L;

    /**
     * Feint forward (and ONNX Runtime forward, when it loads) for batch 1, 32, 128, 512 on 1 and 2
     * threads, one row each (keys {@code batch}, {@code threads}, {@code feintForwardImagesPerSec},
     * {@code onnxRuntimeForwardImagesPerSec}, {@code forwardRatioVsOnnxRuntime}; null without ORT).
     */
    static List<Map<String, Object>> scaling(Options o, Network net, Peers peers, PrintStream out) throws Exception {
        int[] batches = SCALING_BATCHES, threads = SCALING_THREADS;
        var rows = new ArrayList<Map<String, Object>>();
        out.println();
        out.printf("scaling, forward images/s (median)%n%-8s %-8s %12s %12s %10s%n", "batch", "threads", "Feint", "ORT", "Feint/ORT");
        Path onnx = Files.createTempFile("feint-madry-cnn", ".onnx");
        try {
            OnnxExport.write(net, onnx);
            for (int th : threads) {
                Parallel.setThreads(th);
                Peers.Ort ort = null;
                try {
                    ort = peers.ort(onnx, th);
                } catch (PeerProcess.Failure e) {
                    throw e;
                } catch (Throwable e) { /* reported above */ }
                for (int b : batches) {
                    float[] x = images(b, 7);
                    // Roughly the same number of images per round whatever the batch.
                    int iters = Math.max(o.iterations(), (int) Math.ceil((double) o.iterations() * 128 / b / 4));
                    Options ob = new Options(b, th, Math.min(iters, 400), o.quick(), null, null, false);
                    Rate f, r = null;
                    if (ort != null) {
                        try (Peers.Timed xt = ort.forward(new Peers.Input(7, b, C, H, W))) {
                            Rate[] fr = MeasureRounds.measureTurns(ob, scalingRounds(o), scalingMinRoundNanos(o), SCALING_BLOCK_NANOS, b,
                                    MeasureRounds.Engine.local(() -> feintLogits(net, x, b)), xt);
                            f = fr[0];
                            r = fr[1];
                        }
                    } else f = MeasureRounds.measureTurns(ob, scalingRounds(o), scalingMinRoundNanos(o), SCALING_BLOCK_NANOS, b, () -> feintLogits(net, x, b))[0];
                    var m = new LinkedHashMap<String, Object>();
                    m.put("batch", b);
                    m.put("threads", th);
                    m.put("feintForwardImagesPerSec", f.median());
                    m.put("onnxRuntimeForwardImagesPerSec", r == null ? null : r.median());
                    m.put("forwardRatioVsOnnxRuntime", r == null ? null : f.median() / r.median());
                    m.put("feintRounds", f.rounds());
                    m.put("onnxRuntimeRounds", r == null ? null : r.rounds());
                    rows.add(m);
                    out.printf("%-8d %-8d %12.0f %12s %10s%n", b, th, f.median(), r == null ? "n/a" : String.format("%.0f", r.median()),
                            r == null ? "n/a" : String.format("%.2f", f.median() / r.median()));
                }
                if (ort != null) ort.close();
            }
        } finally {
            Files.deleteIfExists(onnx);
        }
        return rows;
    }

    /** What the run was measured on. */
    static final class Machine {
        static String describe() {
            String cpu = "unknown CPU";
            boolean avx512 = false, avx2 = false;
            try {
                for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (l.startsWith("model name") && cpu.equals("unknown CPU")) cpu = l.substring(l.indexOf(':') + 1).trim();
                    if (l.startsWith("flags")) {
                        avx512 |= l.contains(" avx512f");
                        avx2 |= l.contains(" avx2");
                    }
                }
            } catch (IOException e) { /* not Linux */ }
            return String.format("%s, %d vCPU, %s, %s %s, max heap %d MiB%s", cpu, Runtime.getRuntime().availableProcessors(),
                    avx512 ? "AVX-512" : avx2 ? "AVX2" : "no AVX2", System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20, hugePages() ? " on transparent huge pages" : "");
        }

        /**
         * Whether the JVM asked for transparent huge pages for its heap (the launcher does when the
         * kernel offers them): Feint's weights and activations then sit on 2 MiB pages, while the peers'
         * native memory stays on whatever their allocators ask for, so the line says which it was.
         */
        static boolean hugePages() {
            return hugePages(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        }

        /** Whether the last of the JVM options {@code args} that sets UseTransparentHugePages turns it on. */
        static boolean hugePages(java.util.List<String> args) {
            boolean on = false;
            for (String a : args) {
                if (a.equals("-XX:+UseTransparentHugePages")) on = true;
                if (a.equals("-XX:-UseTransparentHugePages")) on = false;
            }
            return on;
        }

        static String loadAverage() {
            try {
                String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return p[0] + " " + p[1] + " " + p[2];
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
