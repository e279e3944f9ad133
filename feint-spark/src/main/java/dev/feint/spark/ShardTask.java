package dev.feint.spark;

import dev.feint.cli.AttackArgs;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.io.AtomicFiles;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.model.Model;
import dev.feint.tensor.Parallel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One partition of {@code feint attack --spark}: the model from the broadcast bytes, the slice of
 * the data, the attack rebuilt from the command line and run with the examples' dataset indices
 * (the bits of the single-machine run), then the shard and its marker written into the output
 * folder. The task writes (not the driver) so the adversarial data never travels through the
 * driver; each file goes to a temporary beside its target and is moved into place atomically,
 * so a killed or retried attempt leaves no half-written shard, and two attempts of one
 * partition write the same bits.
 */
final class ShardTask implements Function<Slice, Shard> {
    /** Partitions attacked in this JVM (local mode: the test's own), for the resume test. */
    static final AtomicInteger tasksRun = new AtomicInteger();

    private final List<String> attackArgs;
    private final String modelName;
    private final Broadcast<byte[]> modelBytes;
    private final String dir;
    private final int[] exampleShape;
    private final LongAccumulator done;

    ShardTask(List<String> attackArgs, String modelName, Broadcast<byte[]> modelBytes, String dir, int[] exampleShape, LongAccumulator done) {
        this.attackArgs = List.copyOf(attackArgs);
        this.modelName = modelName;
        this.modelBytes = modelBytes;
        this.dir = dir;
        this.exampleShape = exampleShape.clone();
        this.done = done;
    }

    @Override public Shard call(Slice slice) {
        tasksRun.incrementAndGet();
        TaskContext tc = TaskContext.get();
        if (tc != null) Parallel.setThreads(Math.max(1, tc.cpus()));
        AttackArgs args = AttackArgs.parse(attackArgs);
        Model m = ModelCopy.load(modelBytes.value(), modelName, args::model);
        Dataset d = args.data(m).slice(slice.from(), slice.to());
        long[] last = new long[1];
        AttackOutcome o = args.run(m, d, slice.indices(), (name, n, total) -> {
            done.add(n - last[0]);
            last[0] = n;
        });
        Path folder = Path.of(dir);
        MessageDigest md = Shard.digest();
        long[] bytes = new long[1];
        AtomicFiles.write(folder.resolve(Shard.npyName(slice.partition())), s -> {
            DigestOutputStream ds = new DigestOutputStream(s, md);
            Npy.write(new java.io.FilterOutputStream(ds) {
                @Override public void write(byte[] b, int off, int len) throws java.io.IOException {
                    out.write(b, off, len);
                    bytes[0] += len;
                }

                @Override public void write(int b) throws java.io.IOException {
                    out.write(b);
                    bytes[0]++;
                }
            }, o.adversarial());
            ds.flush();
        });
        Shard shard = new Shard(slice.partition(), slice.from(), slice.to(), Shard.npyName(slice.partition()), bytes[0],
                HexFormat.of().formatHex(md.digest()));
        AtomicFiles.writeString(folder.resolve(Shard.markerName(slice.partition())), Json.writePretty(shard.toJson(exampleShape)) + "\n");
        return shard;
    }
}
