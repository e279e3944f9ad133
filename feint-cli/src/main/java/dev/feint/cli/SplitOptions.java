package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import picocli.CommandLine.Option;

/**
 * Which examples of the data a command evaluates (a picocli mixin): the split and the first N of
 * it. Shared by the commands that describe both alike (attack, eval, transfer); audit and
 * explain-linear word their --limit differently and keep their own.
 */
final class SplitOptions {
    @Option(names = "--split", defaultValue = "test", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", description = "Only the first N examples (0: all).")
    Integer limit;

    /** Refuses a --split other than train or test, before any file is read. */
    void check() {
        if (!split.equals("train") && !split.equals("test"))
            throw new FeintException("--split must be train or test, got '" + split + "'");
    }

    /** {@return d cut to its first --limit examples (all without --limit)} */
    Dataset cut(Dataset d) {
        return limit == null ? d : d.slice(0, TrainCommand.checkLimit("--limit", limit, d.size()));
    }
}
