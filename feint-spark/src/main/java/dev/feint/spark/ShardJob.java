package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.cli.ClusterProvider;
import dev.feint.eval.AttackOutcome;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.internal.InputFiles;
import dev.feint.io.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
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
 * concatenation is the single-machine {@code --out-npy} file's array bit for bit), each with its
 * per-example results ({@code part-NNNNN.jsonl}) and a marker ({@code part-NNNNN.json}: range,
 * job, sizes, SHA-256s). The driver writes {@code job.json} (what identifies the job: attack,
 * seed, data, model hash, flags, partitions; {@link JobFolder}) before the tasks run and
 * {@code index.json} (the job and all shards in order) after they all succeeded.
 * {@code --resume DIR} checks that DIR holds the same job, keeps the partitions whose marker
 * matches their files and re-runs the others.
 */
final class ShardJob {
    static final String INDEX = "index.json";

    private ShardJob() {}

    /** Runs the job; returns the merged outcome without adversarial rows (they are in the shards). */
    static AttackOutcome run(ClusterProvider.Shards s, LongConsumer progress, PrintStream human) {
        byte[] bytes = InputFiles.readBytes(s.model(), Integer.MAX_VALUE - 16, "a model file (its bytes are broadcast to the executors)");
        Map<String, Object> job = new LinkedHashMap<>(s.describe());
        job.put("modelSha256", HexFormat.of().formatHex(Marker.digest().digest(bytes)));
        Path dir = s.dir();
        Integer partitions = s.resume() ? JobFolder.recordedPartitions(dir, job, s.partitions(), "--resume") : s.partitions();
        // Spark starts only when there is work (a complete folder resumes in no time) or its parallelism is the default.
        JavaSparkContext jsc = partitions == null ? SparkSessions.get(s.master(), human) : null;
        try {
            int p = partitions != null ? partitions : Math.min(Slice.batches(s.examples(), s.batch()), Math.max(1, jsc.defaultParallelism()));
            job.put("partitions", (long) p);
            String hash = JobFolder.hash(job);
            Marker[] markers = new Marker[p];
            List<PartResult> parts = new ArrayList<>();
            List<Slice> todo = new ArrayList<>();
            long kept = 0;
            for (Slice sl : Slice.of(s.examples(), s.batch(), p)) {
                String npy = Marker.name(sl.partition(), "npy"), results = Marker.name(sl.partition(), "jsonl");
                Marker m = s.resume() ? Marker.complete(dir, sl, hash, List.of(npy, results)) : null;
                if (m != null) {
                    markers[sl.partition()] = m;
                    parts.add(PartFile.read(dir.resolve(results), sl, 1, 0));
                    kept += sl.size();
                } else {
                    todo.add(sl);
                }
            }
            if (!s.resume()) JobFolder.create(dir, job);
            else if (!todo.isEmpty()) JobFolder.delete(dir, INDEX, "--resume");  // index.json stands for a complete folder
            if (!todo.isEmpty() && jsc == null) jsc = SparkSessions.get(s.master(), human);
            long t0 = System.nanoTime();             // the job's time, without the session's start-up (printed apart)
            if (!todo.isEmpty()) {
                long base = kept;
                progress.accept(base);
                for (ShardTask.Written w : runTasks(jsc, s, bytes, todo, hash, n -> progress.accept(base + n), human)) {
                    markers[w.marker().partition()] = w.marker();
                    parts.add(w.part());
                }
            }
            writeIndex(dir, job, s, markers);
            human.printf("spark: %d of %d shards attacked and written in %.1f s (%d complete from a previous run), then %s: %s%n",
                    todo.size(), p, (System.nanoTime() - t0) / 1e9, p - todo.size(), INDEX, dir.resolve(INDEX));
            return PartResult.merge(List.of(s.attack()), parts, s.examples(), s.exampleShape()).get(0);
        } finally {
            if (jsc != null) SparkSessions.release();
        }
    }

    private static List<ShardTask.Written> runTasks(JavaSparkContext jsc, ClusterProvider.Shards s, byte[] bytes, List<Slice> todo,
                                                    String hash, LongConsumer progress, PrintStream human) {
        long[] work = new long[todo.size()];         // by task index: the position in todo
        for (int i = 0; i < work.length; i++) work[i] = todo.get(i).size();
        Broadcast<byte[]> shared = jsc.broadcast(bytes);
        LongAccumulator done = jsc.sc().longAccumulator("feint examples done");
        ClusterProgress listener = new ClusterProgress(done.id(), work, progress);
        TaskTimes times = new TaskTimes();
        jsc.sc().addSparkListener(listener);
        jsc.sc().addSparkListener(times);
        try {
            List<ShardTask.Written> written = jsc.parallelize(todo, todo.size())
                    .map(new ShardTask(s.attackArgs(), s.model().getFileName().toString(), shared, s.dir().toAbsolutePath().toString(),
                            hash, done))
                    .collect();
            double attack = 0;
            for (ShardTask.Written w : written) attack += w.part().runs().get(0).seconds();
            human.println(times.describe(todo.size(), attack));
            return written;
        } catch (Exception e) {                      // SparkException is checked in Java's eyes, but undeclared
            throw new FeintException("--spark " + s.master() + ": the job failed (" + EvalJob.rootMessage(e) + "); the complete shards "
                    + "stay in " + s.dir() + " for --resume " + s.dir(), e);
        } finally {
            jsc.sc().removeSparkListener(listener);
            jsc.sc().removeSparkListener(times);
            shared.destroy();
        }
    }

    /** index.json: the format, the job, the whole shape and each shard (its NPY file) in order. */
    private static void writeIndex(Path dir, Map<String, Object> job, ClusterProvider.Shards s, Marker[] markers) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("format", "feint-npy-shards/1");
        index.put("job", job);
        List<Long> shape = new ArrayList<>(List.of((long) s.examples()));
        for (int d : s.exampleShape()) shape.add((long) d);
        index.put("shape", shape);
        List<Object> list = new ArrayList<>();
        for (Marker m : markers) {
            Marker.FileSum npy = m.file(Marker.name(m.partition(), "npy"));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("partition", (long) m.partition());
            e.put("file", npy.file());
            e.put("from", (long) m.from());
            e.put("to", (long) m.to());
            List<Long> sh = new ArrayList<>(List.of((long) (m.to() - m.from())));
            for (int d : s.exampleShape()) sh.add((long) d);
            e.put("shape", sh);
            e.put("bytes", npy.bytes());
            e.put("sha256", npy.sha256());
            list.add(e);
        }
        index.put("shards", list);
        AtomicFiles.writeString(dir.resolve(INDEX), Json.writePretty(index) + "\n");
    }
}
