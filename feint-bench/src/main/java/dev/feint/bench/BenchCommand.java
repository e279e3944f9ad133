package dev.feint.bench;

import dev.feint.FeintException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code feint bench}: the side-by-side harness ({@link SideBySide}). The CLI finds this class by
 * name when feint-bench.jar is on the classpath (the ./feint launcher adds it for {@code bench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Feint vs ONNX Runtime (forward) and PyTorch through DJL (forward, PGD step, SGD training step) "
                + "on madry-cnn with fixed random weights, in one run; then Feint forward scaling over batch and threads.",
                "Checks the peers' logits agree with Feint's to 1e-4 first; exit code 2 if they do not."})
public final class BenchCommand implements Callable<Integer> {
    /** The command with every option at its default; picocli (and the CLI, by name) makes it. */
    public BenchCommand() {}

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON (keys with 'Ratio' hold Feint/peer).")
    Path json;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for Feint and for each peer's intra-op pool (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--iterations", description = "Timed calls per round (default 10, or 3 with --quick).")
    Integer iterations;

    @Option(names = "--quick", description = "Fewer rounds and iterations: a smoke run, not a measurement.")
    boolean quick;

    @Option(names = "--onnx", paramLabel = "FILE", description = "Keep the exported ONNX model at FILE (default: a temporary file).")
    Path onnx;

    @Option(names = "--imported", paramLabel = "DIR", description = "Instead: imported resnet18 and mobilenet_v2 (DIR/NAME.onnx and NAME.pt from "
            + "scripts/make-bench-models.py): forward at batch 1 (steady rate, and the first call after a 200 ms pause) and 64 vs ONNX Runtime, "
            + "input gradient vs PyTorch, per-op profile.")
    Path imported;

    @Option(names = "--preact", arity = "0..1", paramLabel = "DIR", fallbackValue = "", description = "Instead: preact-resnet18 vs PyTorch's "
            + "PreActResNet-18 on the same weights (DIR/preact-resnet18-wN.pt and .safetensors from scripts/make-preact-bench-model.py; "
            + "default DIR ~/.cache/feint/preact-bench): forward and PGD step at batch 1 and --batch, SGD training step at --batch.")
    Path preact;

    @Option(names = "--width", paramLabel = "N", description = "With --preact: the first stage's width, 1..99 (default 64, the standard network).")
    Integer width;

    @Option(names = "--no-scaling", description = "Skip the peak estimate and the batch/threads scaling table.")
    boolean noScaling;

    @Option(names = "--contention", description = "Only the scaling table, twice: alone, then with a background JVM of "
            + "--load-threads busy threads started (and stopped) by the benchmark (ContentionBench).")
    boolean contention;

    @Option(names = "--load-threads", paramLabel = "N", description = "Busy threads of the --contention background load (default: the number of vCPUs).")
    Integer loadThreads;

    @Option(names = "--peers", paramLabel = "WHERE", defaultValue = "own-process", description = "Where ONNX Runtime and PyTorch run: "
            + "own-process (default: each in a child JVM of its own, started once and kept warm, timing its own calls between Feint's rounds) "
            + "or in-process (in the bench's JVM, as before stop 35; the launcher's transparent huge pages then slow ONNX Runtime). "
            + "The bench header and the JSON's 'peers' say which. --preact's peer always runs in-process.")
    String peers;

    @Option(names = "--peer-java-opts", paramLabel = "OPTS", description = "JVM options of the peers' own processes (default: the bench JVM's "
            + "-Xmx/-Xms/-Xmn/-Xss and collector options plus -XX:-UseTransparentHugePages; --add-modules jdk.incubator.vector and "
            + "--enable-native-access=ALL-UNNAMED are always added).")
    String peerJavaOpts;

    /** The {@code --peers} and {@code --peer-java-opts} choice. */
    Peers.Setting peerSetting() {
        boolean own = switch (peers) {
            case "own-process" -> true;
            case "in-process" -> false;
            default -> throw new FeintException("--peers must be own-process or in-process, got '" + peers + "'");
        };
        if (peerJavaOpts == null) return new Peers.Setting(own, null);
        if (!own) throw new FeintException("--peer-java-opts needs --peers own-process");
        java.util.List<String> opts = java.util.Arrays.stream(peerJavaOpts.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
        return new Peers.Setting(true, opts);
    }

    @Override public Integer call() throws Exception {
        Peers.Setting ps = peerSetting();
        if (batch < 1 || threads < 1) throw new FeintException("--batch and --threads must be >= 1, got " + batch + " and " + threads);
        int it = iterations != null ? iterations : quick ? 3 : 10;
        if (it < 1) throw new FeintException("--iterations must be >= 1, got " + it);
        if (width != null && preact == null) throw new FeintException("--width " + width + " needs --preact");
        if (preact != null) {
            int w = width != null ? width : 64;
            if (w < 1 || w > 99) throw new FeintException("--width must be in 1..99, got " + w);
            if (imported != null || contention) throw new FeintException("--preact cannot be combined with --imported or --contention");
            Path dir = preact.toString().isEmpty() ? PreactBench.defaultDir() : preact;
            return PreactBench.run(dir, w, new SideBySide.Options(batch, threads, it, quick, json, onnx, false), System.out);
        }
        if (loadThreads != null && !contention) throw new FeintException("--load-threads " + loadThreads + " needs --contention");
        if (contention) {
            int lt = loadThreads != null ? loadThreads : Runtime.getRuntime().availableProcessors();
            if (lt < 1) throw new FeintException("--load-threads must be >= 1, got " + lt);
            return ContentionBench.run(new SideBySide.Options(batch, threads, it, quick, json, onnx, true, ps), lt, System.out);
        }
        if (imported != null) return ImportedBench.run(imported, new SideBySide.Options(batch, threads, it, quick, json, onnx, false, ps), System.out);
        return SideBySide.run(new SideBySide.Options(batch, threads, it, quick, json, onnx, !noScaling, ps), System.out);
    }
}
