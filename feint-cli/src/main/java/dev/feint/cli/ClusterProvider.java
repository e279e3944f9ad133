package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.eval.AttackOutcome;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Where {@code feint eval --spark} and {@code feint attack --spark} find their cluster: a service
 * on the class path (feint-spark's {@code dev.feint.spark.EvalJob}), so the plain CLI carries no
 * Spark classes.
 */
public interface ClusterProvider {
    /** The cluster that runs the attack runs of one evaluation ({@code feint eval --spark}). */
    EvalAttacksSupport.Cluster cluster(Eval job, PrintStream human);

    /**
     * {@code feint attack --spark}: attacks the job's examples in partitions of whole batches and
     * writes one NPY shard per partition to {@code job.dir()}, then {@code index.json}; with
     * {@code job.resume()} keeps the complete shards of the same job and re-runs the others.
     * {@code progress} gets the examples done across the cluster. Returns the merged outcome
     * without its adversarial rows (null: they stay in the shards), for the summary and --out-json.
     */
    AttackOutcome attackShards(Shards job, LongConsumer progress, PrintStream human);

    /**
     * One {@code feint eval --spark} job: the master, partitions (null: Spark's default or, on
     * resume, the recorded ones), the eval command line (read again in every task), the model
     * file (its bytes are shipped to the executors), what identifies the job ({@code describe}),
     * the number of examples and the attack batch size (partitions hold whole batches), and the
     * folder of per-partition results ({@code --journal DIR}; null: none) and whether to resume it.
     */
    record Eval(String master, Integer partitions, List<String> evalArgs, Path model, Map<String, Object> describe, int examples,
                int batch, Path journal, boolean resume) {}

    /**
     * One {@code feint attack --spark} job: the master, partitions (null: Spark's default or, on
     * resume, the recorded ones), the attack command line (read again in every task), the model
     * file, what identifies the job ({@code describe}: attack, seed, data, ...), the attack (for
     * the merged outcome), the example count, batch and shape, the output folder and whether to
     * resume the job in it.
     */
    record Shards(String master, Integer partitions, List<String> attackArgs, Path model, Map<String, Object> describe, Attack attack,
                  int examples, int batch, int[] exampleShape, Path dir, boolean resume) {}

    /** Flags that do not change a job's results: outputs, where and how it runs, what it prints. */
    Set<String> NEUTRAL_FLAGS = Set.of("--model", "--json", "--markdown", "--report", "--examples", "--journal", "--resume", "--audit",
            "--out-npy", "--out-json", "--out-images", "--images", "--spark", "--partitions", "--threads", "--quiet", "--debug",
            "--max-gflops");

    /**
     * The flags of a command line that decide its results, as given (name, then values), in the
     * order given: what a job folder records so that a resume with other flags is refused. The
     * model is recorded by name and hash instead of its path, so a moved file still resumes.
     */
    static List<String> resultFlags(ParseResult parsed) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            if (NEUTRAL_FLAGS.contains(o.longestName())) continue;
            out.add(o.longestName());
            out.addAll(o.originalStringValues());
        }
        return out;
    }

    /** The provider on the class path, or a clear error naming how to get one. */
    static ClusterProvider find() {
        for (ClusterProvider p : ServiceLoader.load(ClusterProvider.class)) return p;
        throw new FeintException("--spark needs the feint-spark module on the class path (./feint builds it on first use of --spark; "
                + "with spark-submit use --class dev.feint.spark.EvalJob feint-spark.jar)");
    }
}
