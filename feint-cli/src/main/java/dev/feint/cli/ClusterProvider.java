package dev.feint.cli;

import dev.feint.FeintException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where {@code feint eval --spark} and {@code feint attack --spark} find their cluster: a service
 * on the class path (feint-spark's {@code dev.feint.spark.EvalJob}), so the plain CLI carries no
 * Spark classes.
 */
public interface ClusterProvider {
    /**
     * The cluster for one evaluation: {@code master} as given to --spark, {@code partitions}
     * (null: Spark's default), the eval command line {@code evalArgs} (read again in every task),
     * the {@code model} file (its bytes are shipped to the executors), the number of examples and
     * the attack batch size (partitions hold whole batches), and where to say what the job does.
     */
    EvalAttacksSupport.Cluster cluster(String master, Integer partitions, List<String> evalArgs, Path model, int examples, int batch,
                                       PrintStream human);

    /**
     * {@code feint attack --spark}: attacks the job's examples in partitions of whole batches and
     * writes one NPY shard per partition to {@code job.dir()}, then {@code index.json}; with
     * {@code job.resume()} keeps the complete shards of the same job and re-runs the others.
     * {@code progress} gets the examples done across the cluster.
     */
    void attackShards(Shards job, java.util.function.LongConsumer progress, PrintStream human);

    /**
     * One {@code feint attack --spark} job: the master, partitions (null: Spark's default or, on
     * resume, the recorded ones), the attack command line (read again in every task), the model
     * file, what identifies the job ({@code describe}: attack, seed, data, ...), the example count,
     * batch and shape, the output folder and whether to resume the job in it.
     */
    record Shards(String master, Integer partitions, List<String> attackArgs, Path model, java.util.Map<String, Object> describe,
                  int examples, int batch, int[] exampleShape, Path dir, boolean resume) {}

    /** The provider on the class path, or a clear error naming how to get one. */
    static ClusterProvider find() {
        for (ClusterProvider p : ServiceLoader.load(ClusterProvider.class)) return p;
        throw new FeintException("--spark needs the feint-spark module on the class path (./feint builds it on first use of --spark; "
                + "with spark-submit use --class dev.feint.spark.EvalJob feint-spark.jar)");
    }
}
