package dev.feint.spark;

/**
 * The entry point of {@code feint attack --spark} for
 * {@code spark-submit --class dev.feint.spark.AttackJob feint-spark.jar <the attack flags> --out-npy DIR}:
 * the adversarial dataset as NPY shards in DIR (a folder every executor can write), the summary
 * on stdout and {@code --out-json} as {@code feint attack} gives them ({@link ShardJob}).
 * {@code --spark} is taken from {@code spark.master} when not given.
 */
public final class AttackJob {
    private AttackJob() {}

    /**
     * spark-submit's entry: runs {@code feint attack} with these flags on the cluster.
     *
     * @param args the attack flags (with {@code --out-npy DIR})
     */
    public static void main(String[] args) { System.exit(EvalJob.submitted("attack", args)); }
}
