package dev.feint.cli;

import dev.feint.tensor.Parallel;
import picocli.CommandLine.Option;

/** Flags every command accepts (a picocli mixin). */
public final class GlobalOptions {
    static volatile boolean debug;
    static volatile boolean quiet;

    @Option(names = "--threads", description = "Worker threads for the kernels (default: all cores).")
    void threads(int n) {
        if (n < 1 || n > 256) throw new dev.feint.FeintException("--threads must be in [1, 256], got " + n);
        Parallel.setThreads(n);
    }

    @Option(names = "--quiet", description = "No progress output.")
    void quiet(boolean q) { quiet = q; }

    @Option(names = "--debug", description = "Print stack traces for errors.")
    void debug(boolean d) { debug = d; }
}
