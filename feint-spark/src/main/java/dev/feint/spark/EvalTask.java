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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work of one Spark task: the model from the broadcast file bytes (written to a local copy
 * with the file's own name, so every format Feint reads loads as it does on one machine), the
 * slice of the data, the attacks rebuilt from their specification text, the engine sized to the
 * task's cores; then every attack run over the slice with the examples' dataset indices, so each
 * example draws the random stream it draws in a single-machine run. With a job folder
 * ({@code --journal DIR}) the task also writes its results there ({@code part-NNNNN.jsonl},
 * then its marker, each atomically), so a later {@code --resume} need not run it again.
 */
final class EvalTask implements Function<Slice, PartResult> {
    /** Partitions evaluated in this JVM (local mode: the test's own), for the resume test. */
    static final AtomicInteger tasksRun = new AtomicInteger();
    /** Failures injected by the test hook in this JVM (local mode: the test's own). */
    static final AtomicInteger injectedFailures = new AtomicInteger();

    private final List<String> evalArgs;
    private final String modelName;
    private final Broadcast<byte[]> modelBytes;
    private final List<String> specs;
    private final LongAccumulator done;
    private final String dir, job;
    private final EvalJob.Failure failure;

    /**
     * dir: the job folder to write the results into (null: none), job: the hash of its record;
     * failure: attempts that fail on purpose (a test hook; null: none).
     */
    EvalTask(List<String> evalArgs, String modelName, Broadcast<byte[]> modelBytes, List<String> specs, LongAccumulator done,
             String dir, String job, EvalJob.Failure failure) {
        this.evalArgs = List.copyOf(evalArgs);
        this.modelName = modelName;
        this.modelBytes = modelBytes;
        this.specs = List.copyOf(specs);
        this.done = done;
        this.dir = dir;
        this.job = job;
        this.failure = failure;
    }

    @Override public PartResult call(Slice slice) {
        TaskContext tc = TaskContext.get();
        if (failure != null && slice.partition() == failure.partition() && tc != null && tc.attemptNumber() < failure.attempts()) {
            injectedFailures.incrementAndGet();
            throw new IllegalStateException("injected failure of attempt " + tc.attemptNumber() + " of partition " + slice.partition()
                    + " (test hook)");
        }
        tasksRun.incrementAndGet();
        if (tc != null) Parallel.setThreads(Math.max(1, tc.cpus()));
        EvalArgs args = EvalArgs.parse(evalArgs);
        Model m = ModelCopy.load(modelBytes.value(), modelName, args::model);
        try {
            Dataset d = args.data(m).slice(slice.from(), slice.to());
            List<AttackSpec> attacks = new ArrayList<>(specs.size());
            for (String s : specs) attacks.add(AttackSpec.parse(s));
            int[] last = new int[1];
            List<AttackOutcome> outcomes = args.evaluation(m, d, attacks)
                    .progress((name, n, total) -> {      // examples done, across the runs
                        done.add(n < last[0] ? n : n - last[0]);
                        last[0] = n == total ? 0 : n;
                    }).build().outcomes(slice.indices());
            PartResult part = PartResult.of(slice, outcomes, true);
            if (dir != null) {
                Path folder = Path.of(dir);
                Marker.FileSum f = Marker.FileSum.write(folder, Marker.name(slice.partition(), "jsonl"), s -> PartFile.write(part, s));
                new Marker(slice.partition(), slice.from(), slice.to(), job, List.of(f)).write(folder);
            }
            return part;
        } finally {
            dev.feint.model.Models.close(m);       // an ONNX Runtime or libtorch session per task
        }
    }
}
