package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.cli.ClusterProvider;
import dev.feint.io.AtomicFiles;
import dev.feint.io.InputFiles;
import dev.feint.io.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code feint attack --spark MASTER --out-npy DIR}: the adversarial dataset as one NPY shard per
 * partition ({@code part-NNNNN.npy}, float32 [n, C, H, W], the examples in index order; their
 * concatenation is the single-machine {@code --out-npy} file's array bit for bit), each with a
 * marker ({@code part-NNNNN.json}: range, shape, size, SHA-256). The driver writes
 * {@code job.json} (what identifies the job: attack, seed, data, model hash, partitions) before
 * the tasks run and {@code index.json} (the job and all shards in order) after they all
 * succeeded. {@code --resume DIR} checks that DIR holds the same job, keeps the shards whose
 * marker matches their file and re-runs the other partitions.
 */
final class ShardJob {
    static final String JOB = "job.json", INDEX = "index.json";

    private ShardJob() {}

    static void run(ClusterProvider.Shards s, LongConsumer progress, PrintStream human) {
        byte[] bytes = InputFiles.readBytes(s.model(), Integer.MAX_VALUE - 16, "a model file (its bytes are broadcast to the executors)");
        Map<String, Object> job = new LinkedHashMap<>(s.describe());
        job.put("modelSha256", HexFormat.of().formatHex(Shard.digest().digest(bytes)));
        Path dir = s.dir();
        Integer partitions = s.partitions();
        if (s.resume()) partitions = checkSameJob(dir, job, partitions);
        // Spark starts only when there is work (a complete folder resumes in no time) or its parallelism is the default.
        JavaSparkContext jsc = partitions == null ? SparkSessions.get(s.master(), human) : null;
        try {
            int p = partitions != null ? partitions : Math.min(Slice.batches(s.examples(), s.batch()), Math.max(1, jsc.defaultParallelism()));
            job.put("partitions", (long) p);
            List<Slice> slices = Slice.of(s.examples(), s.batch(), p);
            List<Slice> todo = new ArrayList<>();
            Shard[] shards = new Shard[p];
            long[] work = new long[p];
            long kept = 0;
            for (Slice sl : slices) {
                shards[sl.partition()] = s.resume() ? Shard.complete(dir, sl) : null;
                if (shards[sl.partition()] == null) {
                    todo.add(sl);
                    work[sl.partition()] = sl.size();
                } else {
                    kept += sl.size();
                }
            }
            if (!s.resume()) AtomicFiles.writeString(dir.resolve(JOB), Json.writePretty(job) + "\n");
            else if (!todo.isEmpty()) deleteIndex(dir);  // index.json stands for a complete folder: gone until it is one again
            long t0 = System.nanoTime();
            if (!todo.isEmpty()) {
                if (jsc == null) jsc = SparkSessions.get(s.master(), human);
                long base = kept;
                progress.accept(base);
                for (Shard sh : runTasks(jsc, s, bytes, todo, work, n -> progress.accept(base + n))) shards[sh.partition()] = sh;
            }
            writeIndex(dir, job, s, shards);
            human.printf("spark: %d of %d shards attacked and written in %.1f s (%d complete from a previous run), then %s: %s%n",
                    todo.size(), p, (System.nanoTime() - t0) / 1e9, p - todo.size(), INDEX, dir.resolve(INDEX));
        } finally {
            if (jsc != null) SparkSessions.release();
        }
    }

    private static List<Shard> runTasks(JavaSparkContext jsc, ClusterProvider.Shards s, byte[] bytes, List<Slice> todo, long[] work,
                                        LongConsumer progress) {
        Broadcast<byte[]> shared = jsc.broadcast(bytes);
        LongAccumulator done = jsc.sc().longAccumulator("feint examples done");
        ClusterProgress listener = new ClusterProgress(done.id(), work, progress);
        jsc.sc().addSparkListener(listener);
        try {
            return jsc.parallelize(todo, todo.size())
                    .map(new ShardTask(s.attackArgs(), s.model().getFileName().toString(), shared, s.dir().toAbsolutePath().toString(),
                            s.exampleShape(), done))
                    .collect();
        } catch (RuntimeException e) {
            throw new FeintException("--spark " + s.master() + ": the job failed (" + EvalJob.rootMessage(e) + "); the complete shards "
                    + "stay in " + s.dir() + " for --resume " + s.dir(), e);
        } finally {
            jsc.sc().removeSparkListener(listener);
            shared.destroy();
        }
    }

    /** The partitions of the job recorded in dir (the given ones, if any, must equal them); a different job is an error. */
    private static Integer checkSameJob(Path dir, Map<String, Object> job, Integer partitions) {
        Path f = dir.resolve(JOB);
        if (!Files.isRegularFile(f))
            throw new FeintException("--resume " + dir + ": no " + JOB + " (not the folder of a feint attack --spark job)");
        Object recorded;
        try {
            if (Files.size(f) > 1 << 20) throw new FeintException("--resume " + dir + ": " + JOB + " is larger than 1 MiB");
            recorded = Json.parse(Files.readString(f), f.toString());
        } catch (IOException e) {
            throw new FeintException("--resume " + dir + ": cannot read " + JOB + " (" + e.getMessage() + ")", e);
        }
        if (!(recorded instanceof Map<?, ?> r) || !(r.get("partitions") instanceof Long rp))
            throw new FeintException("--resume " + dir + ": " + JOB + " is not a job record (no partitions)");
        Map<String, Object> now = new LinkedHashMap<>(job);
        now.put("partitions", partitions != null ? (long) partitions : rp);
        Object canonical = Json.parse(Json.write(now));
        if (!canonical.equals(recorded)) {
            Map<?, ?> c = (Map<?, ?>) canonical;
            for (Object k : c.keySet())
                if (!java.util.Objects.equals(c.get(k), r.get(k)))
                    throw new FeintException("--resume " + dir + ": the folder holds another job (" + k + " recorded " + Json.write(r.get(k))
                            + ", now " + Json.write(c.get(k)) + "); resume with the same flags, model and data, or choose a new folder");
            throw new FeintException("--resume " + dir + ": " + JOB + " records another job (" + Json.write(recorded) + ")");
        }
        return (int) (long) rp;
    }

    private static void deleteIndex(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(INDEX));
        } catch (IOException e) {
            throw new FeintException("--resume " + dir + ": cannot remove the old " + INDEX + " (" + e.getMessage() + ")", e);
        }
    }

    private static void writeIndex(Path dir, Map<String, Object> job, ClusterProvider.Shards s, Shard[] shards) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("format", "feint-npy-shards/1");
        index.put("job", job);
        List<Long> shape = new ArrayList<>(List.of((long) s.examples()));
        for (int d : s.exampleShape()) shape.add((long) d);
        index.put("shape", shape);
        List<Object> list = new ArrayList<>();
        for (Shard sh : shards) list.add(sh.toJson(s.exampleShape()));
        index.put("shards", list);
        AtomicFiles.writeString(dir.resolve(INDEX), Json.writePretty(index) + "\n");
    }
}
