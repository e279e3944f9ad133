package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.attack.AttackSpec;
import dev.feint.cli.ClusterProvider;
import dev.feint.cli.EvalAttacksSupport;
import dev.feint.cli.Main;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.io.internal.InputFiles;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code feint eval --spark MASTER} as a Spark job, and its entry point for
 * {@code spark-submit --class dev.feint.spark.EvalJob feint-spark.jar <the eval flags>}.
 * The examples are cut into partitions by index; the model file's bytes are broadcast once; each
 * task ({@link EvalTask}) rebuilds the attacks from their specification text and runs every
 * attack run of the evaluation on its slice; the driver merges the parts in index order into the
 * outcomes a single-machine run produces (the same bits: random streams come from example
 * indices), and {@code feint eval} writes the same JSON, Markdown and HTML from them. The data
 * path must be readable by every executor. With {@code --journal DIR} the tasks also write their
 * results into DIR ({@link JobFolder}), and {@code --resume} runs only the partitions without
 * complete results there. As the cluster provider it also runs {@code feint attack --spark}
 * ({@link ShardJob}).
 */
public final class EvalJob implements ClusterProvider {
    /** The cluster provider; the CLI finds it with {@link java.util.ServiceLoader}. */
    public EvalJob() {}

    /** Test hook: attempts of one partition that fail on purpose (null: none). */
    static volatile Failure failure;

    /** Attempts 0..attempts-1 of the partition fail (a test hook; Integer.MAX_VALUE: every attempt). */
    record Failure(int partition, int attempts) implements Serializable {}

    /**
     * spark-submit's entry: the eval flags, with --spark taken from spark.master when not given.
     *
     * @param args the flags of {@code feint eval}
     */
    public static void main(String[] args) { System.exit(submitted("eval", args)); }

    /** Runs {@code feint command args}, with --spark taken from spark.master (set by spark-submit) when not given. */
    static int submitted(String command, String[] args) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of(args));
        if (a.stream().noneMatch(s -> s.equals("--spark") || s.startsWith("--spark="))) {
            a.add("--spark");
            a.add(new SparkConf().get("spark.master", "local[*]"));
        }
        return Main.run(a.toArray(String[]::new));
    }

    @Override public EvalAttacksSupport.Cluster cluster(ClusterProvider.Eval job, PrintStream human) {
        return (whole, specs, progress) -> run(job, whole, specs, progress, human);
    }

    @Override public AttackOutcome attackShards(ClusterProvider.Shards job, LongConsumer progress, PrintStream human) {
        return ShardJob.run(job, progress, human);
    }

    private static List<AttackOutcome> run(ClusterProvider.Eval e, RobustnessEvaluation whole, List<AttackSpec> specs,
                                           LongConsumer progress, PrintStream human) {
        byte[] bytes = InputFiles.readBytes(e.model(), Integer.MAX_VALUE - 16, "a model file (its bytes are broadcast to the executors)");
        List<String> texts = new ArrayList<>();
        for (AttackSpec s : specs) texts.add(s.toString());
        Map<String, Object> job = new LinkedHashMap<>(e.describe());
        job.put("attacks", texts);
        job.put("modelSha256", HexFormat.of().formatHex(Marker.digest().digest(bytes)));
        Path dir = e.journal();
        Integer partitions = e.resume() ? JobFolder.recordedPartitions(dir, job, e.partitions(), "--journal") : e.partitions();
        int runs = whole.runs().size(), rowSize = 1;
        for (int s : whole.exampleShape()) rowSize *= s;
        // Spark starts only when there is work (a complete folder resumes without it) or its parallelism is the default.
        JavaSparkContext jsc = partitions == null ? SparkSessions.get(e.master(), human) : null;
        try {
            int p = partitions != null ? partitions : Math.min(Slice.batches(e.examples(), e.batch()), Math.max(1, jsc.defaultParallelism()));
            job.put("partitions", (long) p);
            String hash = JobFolder.hash(job);
            List<PartResult> parts = new ArrayList<>();
            List<Slice> todo = new ArrayList<>();
            long kept = 0;
            for (Slice s : Slice.of(e.examples(), e.batch(), p)) {
                String name = Marker.name(s.partition(), "jsonl");
                Marker m = e.resume() ? Marker.complete(dir, s, hash, List.of(name)) : null;
                if (m != null) {
                    parts.add(PartFile.read(dir.resolve(name), s, runs, rowSize));
                    kept += (long) s.size() * runs;
                } else {
                    todo.add(s);
                }
            }
            if (dir != null && !e.resume()) JobFolder.create(dir, job);
            if (!todo.isEmpty() && jsc == null) jsc = SparkSessions.get(e.master(), human);
            long t0 = System.nanoTime();             // the job's time, without the session's start-up (printed apart)
            if (!todo.isEmpty()) {
                long base = kept;
                progress.accept(base);
                parts.addAll(runTasks(jsc, e, bytes, texts, todo, runs, hash, n -> progress.accept(base + n), human));
            }
            human.printf("spark: %d of %d partitions of %,d examples, %d attack runs in %.1f s%s%n", todo.size(), p, e.examples(), runs,
                    (System.nanoTime() - t0) / 1e9, e.resume() ? " (" + (p - todo.size()) + " complete in " + dir + ")" : "");
            return PartResult.merge(whole.runs(), parts, e.examples(), whole.exampleShape());
        } finally {
            if (jsc != null) SparkSessions.release();
        }
    }

    private static List<PartResult> runTasks(JavaSparkContext jsc, ClusterProvider.Eval e, byte[] bytes, List<String> texts,
                                             List<Slice> todo, int runs, String hash, LongConsumer progress, PrintStream human) {
        long[] work = new long[todo.size()];         // by task index: the position in todo
        for (int i = 0; i < work.length; i++) work[i] = (long) todo.get(i).size() * runs;
        Broadcast<byte[]> shared = jsc.broadcast(bytes);
        LongAccumulator done = jsc.sc().longAccumulator("feint examples done");
        ClusterProgress listener = new ClusterProgress(done.id(), work, progress);
        TaskTimes times = new TaskTimes();
        jsc.sc().addSparkListener(listener);
        jsc.sc().addSparkListener(times);
        String dir = e.journal() == null ? null : e.journal().toAbsolutePath().toString();
        try {
            List<PartResult> parts = jsc.parallelize(todo, todo.size())
                    .map(new EvalTask(e.evalArgs(), e.model().getFileName().toString(), shared, texts, done, dir, hash, failure))
                    .collect();
            double attack = 0;
            for (PartResult p : parts) for (PartResult.Run r : p.runs()) attack += r.seconds();
            human.println(times.describe(todo.size(), attack));
            return parts;
        } catch (Exception ex) {                     // SparkException is checked in Java's eyes, but undeclared
            throw new FeintException("--spark " + e.master() + ": the job failed (" + rootMessage(ex) + ")" + (dir == null ? ""
                    : "; the complete partitions stay in " + e.journal() + ": add --resume to run only the others"), ex);
        } finally {
            jsc.sc().removeSparkListener(listener);
            jsc.sc().removeSparkListener(times);
            shared.destroy();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
