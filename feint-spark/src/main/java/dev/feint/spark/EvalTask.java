package dev.feint.spark;

import dev.feint.attack.AttackSpec;
import dev.feint.cli.EvalArgs;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.model.Model;
import dev.feint.tensor.Parallel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The work of one Spark task: the model from the broadcast file bytes (written to a local copy
 * with the file's own name, so every format Feint reads loads as it does on one machine), the
 * slice of the data, the attacks rebuilt from their specification text, the engine sized to the
 * task's cores; then every attack run over the slice with the examples' dataset indices, so each
 * example draws the random stream it draws in a single-machine run.
 */
final class EvalTask implements Function<Slice, PartResult> {
    private final List<String> evalArgs;
    private final String modelName;
    private final Broadcast<byte[]> modelBytes;
    private final List<String> specs;
    private final LongAccumulator done;
    private final int failFirstAttemptOf;
    /** Failures injected by the test hook in this JVM (local mode: the test's own). */
    static final java.util.concurrent.atomic.AtomicInteger injectedFailures = new java.util.concurrent.atomic.AtomicInteger();

    /** failFirstAttemptOf: a partition whose first attempt fails on purpose (a test hook; -1: none). */
    EvalTask(List<String> evalArgs, String modelName, Broadcast<byte[]> modelBytes, List<String> specs, LongAccumulator done,
             int failFirstAttemptOf) {
        this.evalArgs = List.copyOf(evalArgs);
        this.modelName = modelName;
        this.modelBytes = modelBytes;
        this.specs = List.copyOf(specs);
        this.done = done;
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    @Override public PartResult call(Slice slice) {
        TaskContext tc = TaskContext.get();
        if (slice.partition() == failFirstAttemptOf && tc != null && tc.attemptNumber() == 0) {
            injectedFailures.incrementAndGet();
            throw new IllegalStateException("injected failure of the first attempt of partition " + slice.partition() + " (test hook)");
        }
        if (tc != null) Parallel.setThreads(Math.max(1, tc.cpus()));
        EvalArgs args = EvalArgs.parse(evalArgs);
        Model m = ModelCopy.load(modelBytes.value(), modelName, args::model);
        Dataset d = args.data(m).slice(slice.from(), slice.to());
        List<AttackSpec> attacks = new ArrayList<>(specs.size());
        for (String s : specs) attacks.add(AttackSpec.parse(s));
        int[] last = new int[1];
        List<AttackOutcome> outcomes = args.evaluation(m, d, attacks)
                .progress((name, n, total) -> {      // examples done, across the runs
                    done.add(n < last[0] ? n : n - last[0]);
                    last[0] = n == total ? 0 : n;
                }).build().outcomes(slice.indices());
        return PartResult.of(slice, outcomes);
    }
}
