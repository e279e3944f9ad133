package dev.feint.spark;

import dev.feint.cli.AttackArgs;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.io.Npy;
import dev.feint.model.Model;
import dev.feint.tensor.Parallel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One partition of {@code feint attack --spark}: the model from the broadcast bytes, the slice of
 * the data, the attack rebuilt from the command line and run with the examples' dataset indices
 * (the bits of the single-machine run), then into the output folder: the shard
 * ({@code part-NNNNN.npy}), the per-example results ({@code part-NNNNN.jsonl}, for the summary
 * and --out-json of a later resume) and last their marker. The task writes (not the driver) so
 * the adversarial data never travels through the driver; each file goes to a temporary beside
 * its target and is moved into place atomically, so a killed or retried attempt leaves no
 * half-written file, and two attempts of one partition write the same bits.
 */
final class ShardTask implements Function<Slice, ShardTask.Written> {
    /** Partitions attacked in this JVM (local mode: the test's own), for the resume test. */
    static final AtomicInteger tasksRun = new AtomicInteger();

    /** What a task wrote (its marker) and its results without the adversarial rows. */
    record Written(Marker marker, PartResult part) implements Serializable {}

    private final List<String> attackArgs;
    private final String modelName;
    private final Broadcast<byte[]> modelBytes;
    private final String dir, job;
    private final LongAccumulator done;

    /** dir: the output folder; job: the hash of its job record, named by every marker. */
    ShardTask(List<String> attackArgs, String modelName, Broadcast<byte[]> modelBytes, String dir, String job, LongAccumulator done) {
        this.attackArgs = List.copyOf(attackArgs);
        this.modelName = modelName;
        this.modelBytes = modelBytes;
        this.dir = dir;
        this.job = job;
        this.done = done;
    }

    @Override public Written call(Slice slice) {
        tasksRun.incrementAndGet();
        TaskContext tc = TaskContext.get();
        if (tc != null) Parallel.setThreads(Math.max(1, tc.cpus()));
        AttackArgs args = AttackArgs.parse(attackArgs);
        Model m = ModelCopy.load(modelBytes.value(), modelName, args::model);
        try {
            Dataset d = args.data(m).slice(slice.from(), slice.to());
            long[] last = new long[1];
            AttackOutcome o = args.run(m, d, slice.indices(), (name, n, total) -> {
                done.add(n - last[0]);
                last[0] = n;
            });
            Path folder = Path.of(dir);
            PartResult part = PartResult.of(slice, List.of(o), false);
            Marker.FileSum npy = Marker.FileSum.write(folder, Marker.name(slice.partition(), "npy"), s -> Npy.write(s, o.adversarial()));
            Marker.FileSum results = Marker.FileSum.write(folder, Marker.name(slice.partition(), "jsonl"), s -> PartFile.write(part, s));
            Marker marker = new Marker(slice.partition(), slice.from(), slice.to(), job, List.of(npy, results));
            marker.write(folder);
            return new Written(marker, part);
        } finally {
            dev.feint.model.Models.close(m);       // an ONNX Runtime or libtorch session per task
        }
    }
}
