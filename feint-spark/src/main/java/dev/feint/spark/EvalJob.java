package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.attack.AttackSpec;
import dev.feint.cli.ClusterProvider;
import dev.feint.cli.EvalAttacksSupport;
import dev.feint.cli.Main;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.io.InputFiles;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code feint eval --spark MASTER} as a Spark job, and its entry point for
 * {@code spark-submit --class dev.feint.spark.EvalJob feint-spark.jar <the eval flags>}.
 * The examples are cut into partitions by index; the model file's bytes are broadcast once; each
 * task ({@link EvalTask}) rebuilds the attacks from their specification text and runs every
 * attack run of the evaluation on its slice; the driver merges the parts in index order into the
 * outcomes a single-machine run produces (the same bits: random streams come from example
 * indices), and {@code feint eval} writes the same JSON, Markdown and HTML from them. The data
 * path must be readable by every executor. As the cluster provider it also runs
 * {@code feint attack --spark} ({@link ShardJob}).
 */
public final class EvalJob implements ClusterProvider {
    /** Test hook: a partition whose first task attempt fails on purpose (-1: none). */
    static volatile int failFirstAttemptOf = -1;

    /** spark-submit's entry: the eval flags, with --spark taken from spark.master when not given. */
    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of("eval"));
        a.addAll(List.of(args));
        if (!a.contains("--spark")) {
            a.add("--spark");
            a.add(new SparkConf().get("spark.master", "local[*]"));
        }
        System.exit(Main.run(a.toArray(String[]::new)));
    }

    @Override public EvalAttacksSupport.Cluster cluster(String master, Integer partitions, List<String> evalArgs, Path model, int examples,
                                                        int batch, PrintStream human) {
        return (whole, specs, progress) -> run(master, partitions, evalArgs, model, examples, batch, whole, specs, progress, human);
    }

    @Override public void attackShards(ClusterProvider.Shards job, LongConsumer progress, PrintStream human) {
        ShardJob.run(job, progress, human);
    }

    private static List<AttackOutcome> run(String master, Integer partitions, List<String> evalArgs, Path model, int n, int batch,
                                           RobustnessEvaluation whole, List<AttackSpec> specs, LongConsumer progress, PrintStream human) {
        byte[] bytes = InputFiles.readBytes(model, Integer.MAX_VALUE - 16, "a model file (its bytes are broadcast to the executors)");
        JavaSparkContext jsc = SparkSessions.get(master, human);
        int p = partitions != null ? partitions : Math.min(Slice.batches(n, batch), Math.max(1, jsc.defaultParallelism()));
        List<Slice> slices = Slice.of(n, batch, p);
        Broadcast<byte[]> shared = jsc.broadcast(bytes);
        LongAccumulator done = jsc.sc().longAccumulator("feint examples done");
        List<String> texts = new ArrayList<>();
        for (AttackSpec s : specs) texts.add(s.toString());
        int runs = whole.runs().size();
        long[] work = new long[p];
        for (Slice s : slices) work[s.partition()] = (long) s.size() * runs;
        ClusterProgress listener = new ClusterProgress(done.id(), work, progress);
        jsc.sc().addSparkListener(listener);
        long t0 = System.nanoTime();
        List<PartResult> parts;
        try {
            parts = jsc.parallelize(slices, p)
                    .map(new EvalTask(evalArgs, model.getFileName().toString(), shared, texts, done, failFirstAttemptOf))
                    .collect();
        } catch (RuntimeException e) {
            throw new FeintException("--spark " + master + ": the job failed (" + rootMessage(e) + ")", e);
        } finally {
            jsc.sc().removeSparkListener(listener);
            shared.destroy();
            SparkSessions.release();
        }
        human.printf("spark: %d partitions of %,d examples, %d attack runs in %.1f s%n", p, n, runs, (System.nanoTime() - t0) / 1e9);
        return PartResult.merge(whole.runs(), parts, n, whole.exampleShape());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
