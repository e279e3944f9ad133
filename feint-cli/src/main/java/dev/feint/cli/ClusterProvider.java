package dev.feint.cli;

import dev.feint.FeintException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where {@code feint eval --spark} finds its cluster: a service on the class path (feint-spark's
 * {@code dev.feint.spark.SparkCluster}), so the plain CLI carries no Spark classes.
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

    /** The provider on the class path, or a clear error naming how to get one. */
    static ClusterProvider find() {
        for (ClusterProvider p : ServiceLoader.load(ClusterProvider.class)) return p;
        throw new FeintException("--spark needs the feint-spark module on the class path (./feint builds it on first use of --spark; "
                + "with spark-submit use --class dev.feint.spark.EvalJob feint-spark.jar)");
    }
}
