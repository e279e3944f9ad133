package dev.feint.cli;

import dev.feint.tensor.Parallel;
import picocli.CommandLine.Option;

/** Flags every command accepts (a picocli mixin). */
final class GlobalOptions {
    static volatile boolean debug;
    static volatile boolean quiet;
    static volatile boolean allowNonfinite;

    /** Back to the defaults: options are process-wide, and tests run many command lines in one JVM. */
    static void reset() {
        allowNonfinite = false;
        dev.feint.nn.ArchitecturePlan.setMaxFlops(dev.feint.nn.ArchitecturePlan.DEFAULT_MAX_FLOPS);
    }

    @Option(names = "--threads", description = "Worker threads for the kernels (default: all cores).")
    void threads(int n) {
        if (n < 1 || n > 256) throw new dev.feint.FeintException("--threads must be in [1, 256], got " + n);
        Parallel.setThreads(n);
    }

    @Option(names = "--max-gflops", paramLabel = "G",
            description = "Largest forward cost of one image accepted from a model file or --arch spec, in GFLOP (default: 20).")
    void maxGflops(double g) {
        if (!(g > 0 && g <= 1e9)) throw new dev.feint.FeintException("--max-gflops must be a number in (0, 1e9], got " + g);
        dev.feint.nn.ArchitecturePlan.setMaxFlops((long) Math.ceil(g * 1e9));
    }

    @Option(names = "--allow-nonfinite", description = "Load model files whose weights hold NaN or infinity (refused by default).")
    void allowNonfinite(boolean a) { allowNonfinite = a; }

    @Option(names = "--quiet", description = "No progress output.")
    void quiet(boolean q) { quiet = q; }

    @Option(names = "--debug", description = "Print stack traces for errors.")
    void debug(boolean d) { debug = d; }
}
