package dev.feint.bench;

import ai.onnxruntime.OnnxTensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where {@code feint bench} runs its peers, ONNX Runtime and PyTorch: in this JVM ({@link #inProcess}),
 * or each in a child JVM of its own ({@link #ownProcess}, the default) with JVM options of its own.
 * Why a child: the launcher puts this JVM's heap on transparent huge pages, which made Feint 3-32%
 * faster and ONNX Runtime, in the same process, 1-22% slower (docs/PERFORMANCE.md, stop 34), so
 * the ratios partly measured the peer being slowed. The handles below are what the benchmarks
 * need of a peer, the same whichever way it runs: its logits and gradients for the agreement
 * checks, and {@link MeasureRounds.Engine}s for the rounds.
 */
abstract class Peers implements AutoCloseable {
    /**
     * How a run's peers are to run: {@code ownProcess} with {@code javaOptions} (null: {@link
     * #defaultJavaOptions()}), or in this JVM.
     */
    record Setting(boolean ownProcess, List<String> javaOptions) {
        static final Setting IN_PROCESS = new Setting(false, null);

        Peers open() { return ownProcess ? Peers.ownProcess(javaOptions != null ? javaOptions : defaultJavaOptions()) : Peers.inProcess(); }
    }

    /**
     * An input that both processes can make: {@code prod(dims)} uniform [0, 1) floats from
     * {@code seed} ({@link SideBySide#images} and {@link ImportedBench#images} draw the same way).
     */
    record Input(long seed, long... dims) {
        int size() {
            long s = 1;
            for (long d : dims) s *= d;
            return Math.toIntExact(s);
        }

        int batch() { return (int) dims[0]; }

        float[] values() {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[size()];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            return x;
        }
    }

    /** ONNX Runtime on one file: a session with {@code threads} intra-op threads. */
    interface Ort extends AutoCloseable {
        float[] logits(Input x) throws Exception;

        /** The timed forward on {@code x} (the input tensor made once, the logits left native); close it. */
        Timed forward(Input x) throws Exception;

        @Override void close() throws Exception;
    }

    /** PyTorch on madry-cnn with {@link SideBySide#network()}'s weights ({@link DjlPeer}). */
    interface Torch extends AutoCloseable {
        String version();

        int threads();

        float[] logits(Input x) throws Exception;

        /** Gradient of the summed cross-entropy against {@link SideBySide#labels}{@code (n, labelSeed)}. */
        float[] inputGradient(Input x, long labelSeed) throws Exception;

        /** conv1's weight after one SGD step at learning rate 1 on a fresh copy of the weights. */
        float[] sgdStepConv1(Input x, long labelSeed) throws Exception;

        Timed forward(Input x) throws Exception;

        Timed pgd(Input x, long labelSeed, float eps, float alpha) throws Exception;

        Timed train(Input x, long labelSeed, float lr) throws Exception;

        @Override void close() throws Exception;
    }

    /** A TorchScript model in PyTorch, eval mode, weights frozen ({@link TorchScriptPeer}), for the input-gradient rows. */
    interface Script extends AutoCloseable {
        float[] logits(Input x) throws Exception;

        /** Gradient of the summed cross-entropy against {@code labels}. */
        float[] inputGradient(Input x, int[] labels) throws Exception;

        /** The timed input-gradient step (the gradient copied out, as an attack needs it). */
        Timed gradient(Input x, int[] labels) throws Exception;

        @Override void close() throws Exception;
    }

    /** A timed body that holds native resources (a tensor, a PGD state). */
    interface Timed extends MeasureRounds.Engine, AutoCloseable {
        @Override void close() throws Exception;
    }

    abstract Ort ort(Path onnx, int threads) throws Exception;

    abstract Torch torch(int threads) throws Exception;

    /** A TorchScript file of a {@code classes}-way classifier, in the same process as {@link #torch}. */
    abstract Script script(Path file, int threads, int classes) throws Exception;

    /** PyTorch's version, e.g. "PyTorch 2.7.1 (DJL 0.36.0)"; in a child, asked of the child. */
    abstract String torchVersion(int threads) throws Exception;

    /** ONNX Runtime's version; in a child, asked of the child. */
    abstract String ortVersion() throws Exception;

    /** For the header and the JSON: how the peers run. */
    abstract Map<String, Object> describe();

    /** The one-line form of {@link #describe}. */
    abstract String line();

    @Override public abstract void close();

    /** The peers in this JVM, as before stop 35. */
    static Peers inProcess() { return new InProcess(); }

    /** Each peer in a child JVM started with {@code javaOptions} on first use and kept for the run. */
    static Peers ownProcess(List<String> javaOptions) { return new OwnProcess(javaOptions); }

    /**
     * The child's default JVM options: this JVM's heap, stack and collector options (the launcher's
     * {@code -Xmx8g -Xmn512m -XX:+UseParallelGC}), and no transparent huge pages.
     */
    static List<String> defaultJavaOptions(List<String> parentArgs) {
        var opts = new ArrayList<String>();
        for (String a : parentArgs)
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xmn") || a.startsWith("-Xss")
                    || a.matches("-XX:[+-]Use\\w*GC")) opts.add(a);
        opts.add("-XX:-UseTransparentHugePages");
        return opts;
    }

    static List<String> defaultJavaOptions() {
        return defaultJavaOptions(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static final class InProcess extends Peers {
        @Override Ort ort(Path onnx, int threads) {
            OrtPeer p = new OrtPeer(onnx, threads);
            return new Ort() {
                @Override public float[] logits(Input x) throws Exception {
                    try (OnnxTensor t = p.input(x.values(), x.dims())) {
                        return p.forward(t);
                    }
                }

                @Override public Timed forward(Input x) throws Exception {
                    OnnxTensor t = p.input(x.values(), x.dims());
                    return local(() -> p.run(t), t::close);
                }

                @Override public void close() { p.close(); }
            };
        }

        @Override Torch torch(int threads) {
            DjlPeer.configure(threads);
            var weights = SideBySide.network().body().namedParameters();
            DjlPeer p = new DjlPeer(weights, threads);
            return new Torch() {
                @Override public String version() { return DjlPeer.version(); }

                @Override public int threads() { return DjlPeer.threads(); }

                @Override public float[] logits(Input x) { return p.logits(x.values(), x.batch(), SideBySide.C, SideBySide.H, SideBySide.W); }

                @Override public float[] inputGradient(Input x, long labelSeed) {
                    return p.inputGradient(x.values(), SideBySide.labels(x.batch(), labelSeed), x.batch(), SideBySide.C, SideBySide.H, SideBySide.W);
                }

                @Override public float[] sgdStepConv1(Input x, long labelSeed) {
                    try (DjlPeer fresh = new DjlPeer(weights, threads)) {
                        fresh.trainStep(x.values(), SideBySide.labels(x.batch(), labelSeed), 1f, x.batch(), SideBySide.C, SideBySide.H, SideBySide.W);
                        return fresh.weight("0.weight");
                    }
                }

                @Override public Timed forward(Input x) {
                    float[] v = x.values();
                    return local(() -> p.forwardOnce(v, x.batch(), SideBySide.C, SideBySide.H, SideBySide.W), () -> {});
                }

                @Override public Timed pgd(Input x, long labelSeed, float eps, float alpha) {
                    DjlPeer.Pgd pgd = p.new Pgd(x.values(), SideBySide.labels(x.batch(), labelSeed), eps, alpha, x.batch(), SideBySide.C, SideBySide.H, SideBySide.W);
                    return local(pgd::step, pgd::close);
                }

                @Override public Timed train(Input x, long labelSeed, float lr) {
                    float[] v = x.values();
                    int[] y = SideBySide.labels(x.batch(), labelSeed);
                    return local(() -> p.trainStep(v, y, lr, x.batch(), SideBySide.C, SideBySide.H, SideBySide.W), () -> {});
                }

                @Override public void close() { p.close(); }
            };
        }

        @Override Script script(Path file, int threads, int classes) {
            DjlPeer.configure(threads);
            TorchScriptPeer p = new TorchScriptPeer(file, threads, classes);
            return new Script() {
                @Override public float[] logits(Input x) { return p.logits(x.values(), x.batch(), (int) x.dims()[1], (int) x.dims()[2], (int) x.dims()[3]); }

                @Override public float[] inputGradient(Input x, int[] labels) {
                    return p.inputGradient(x.values(), labels, x.batch(), (int) x.dims()[1], (int) x.dims()[2], (int) x.dims()[3]);
                }

                @Override public Timed gradient(Input x, int[] labels) {
                    float[] v = x.values();
                    return local(() -> p.inputGradient(v, labels, x.batch(), (int) x.dims()[1], (int) x.dims()[2], (int) x.dims()[3]), () -> {});
                }

                @Override public void close() { p.close(); }
            };
        }

        @Override String torchVersion(int threads) {
            DjlPeer.configure(threads);
            return DjlPeer.version();
        }

        @Override String ortVersion() { return OrtPeer.version(); }

        @Override Map<String, Object> describe() {
            return Map.of("mode", "in-process", "hugePages", SideBySide.Machine.hugePages());
        }

        @Override String line() {
            return "in this JVM" + (SideBySide.Machine.hugePages() ? " (on its transparent huge pages)" : "");
        }

        @Override public void close() {}
    }

    /** A local body with its release, as a {@link Timed}. */
    static Timed local(SideBySide.Body body, AutoCloseable release) {
        MeasureRounds.Engine e = MeasureRounds.Engine.local(body);
        return new Timed() {
            @Override public void warm(int minCalls, long minNanos) throws Exception { e.warm(minCalls, minNanos); }

            @Override public long[] round(int minCalls, long minNanos) throws Exception { return e.round(minCalls, minNanos); }

            @Override public long[] steady(int minCalls, long warmNanos, long timedNanos) throws Exception { return e.steady(minCalls, warmNanos, timedNanos); }

            @Override public void close() throws Exception { release.close(); }
        };
    }

    private static final class OwnProcess extends Peers {
        private final List<String> javaOptions;
        private PeerProcess ort, torch;

        OwnProcess(List<String> javaOptions) { this.javaOptions = List.copyOf(javaOptions); }

        private PeerProcess ortProcess() throws Exception {
            if (ort == null) ort = PeerProcess.start("ONNX Runtime", javaOptions);
            return ort;
        }

        @Override Ort ort(Path onnx, int threads) throws Exception { return ortProcess().ort(onnx, threads); }

        private PeerProcess torchProcess() {
            if (torch == null) torch = PeerProcess.start("PyTorch", javaOptions);
            return torch;
        }

        @Override Torch torch(int threads) { return torchProcess().torch(threads); }

        @Override Script script(Path file, int threads, int classes) { return torchProcess().script(file, threads, classes); }

        @Override String torchVersion(int threads) { return torchProcess().torchVersion(threads); }

        @Override String ortVersion() throws Exception { return ortProcess().ortVersion(); }

        @Override Map<String, Object> describe() {
            return Map.of("mode", "own-process", "javaOptions", javaOptions);
        }

        @Override String line() { return "each in its own JVM (" + String.join(" ", javaOptions) + ")"; }

        @Override public void close() {
            if (ort != null) ort.close();
            if (torch != null) torch.close();
        }
    }
}
