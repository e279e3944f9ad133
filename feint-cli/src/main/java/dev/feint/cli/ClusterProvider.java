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
    /**
     * The cluster that runs the attack runs of one evaluation ({@code feint eval --spark}).
     *
     * @param job the evaluation job
     * @param human where progress lines for people go
     * @return the cluster
     */
    EvalAttacksSupport.Cluster cluster(Eval job, PrintStream human);

    /**
     * {@code feint attack --spark}: attacks the job's examples in partitions of whole batches and
     * writes one NPY shard per partition to {@code job.dir()}, then {@code index.json}; with
     * {@code job.resume()} keeps the complete shards of the same job and re-runs the others.
     * {@code progress} gets the examples done across the cluster. Returns the merged outcome
     * without its adversarial rows (null: they stay in the shards), for the summary and --out-json.
     *
     * @param job the attack job
     * @param progress told the examples done across the cluster
     * @param human where progress lines for people go
     * @return the merged outcome without its adversarial rows
     */
    AttackOutcome attackShards(Shards job, LongConsumer progress, PrintStream human);

    /**
     * One {@code feint eval --spark} job: the master, partitions (null: Spark's default or, on
     * resume, the recorded ones), the eval command line (read again in every task), the model
     * file (its bytes are shipped to the executors), what identifies the job ({@code describe}),
     * the number of examples and the attack batch size (partitions hold whole batches), and the
     * folder of per-partition results ({@code --journal DIR}; null: none) and whether to resume it.
     *
     * @param master the Spark master URL
     * @param partitions the partitions, or null
     * @param evalArgs the eval command line without the command name
     * @param model the model file
     * @param describe what identifies the job
     * @param examples the number of examples
     * @param batch the attack batch size
     * @param journal the folder of per-partition results, or null
     * @param resume whether to resume the journal
     */
    record Eval(String master, Integer partitions, List<String> evalArgs, Path model, Map<String, Object> describe, int examples,
                int batch, Path journal, boolean resume) {}

    /**
     * One {@code feint attack --spark} job: the master, partitions (null: Spark's default or, on
     * resume, the recorded ones), the attack command line (read again in every task), the model
     * file, what identifies the job ({@code describe}: attack, seed, data, ...), the attack (for
     * the merged outcome), the example count, batch and shape, the output folder and whether to
     * resume the job in it.
     *
     * @param master the Spark master URL
     * @param partitions the partitions, or null
     * @param attackArgs the attack command line without the command name
     * @param model the model file
     * @param describe what identifies the job
     * @param attack the attack
     * @param examples the number of examples
     * @param batch the attack batch size
     * @param exampleShape the shape of one example
     * @param dir the output folder
     * @param resume whether to resume the job in it
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
     *
     * @param parsed the parsed command line
     * @return the result-deciding flags with their values
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

    /**
     * The command's flags (without the command's name) as its tasks read them: the values of the
     * path flags and of --data that name an existing file or folder made absolute, since an
     * executor runs in a folder of its own; everything else as given.
     *
     * @param parsed the parsed command line
     * @param command the command's name ({@code eval} or {@code attack})
     * @return the flags for the tasks
     */
    static List<String> taskArgs(ParseResult parsed, String command) {
        List<String> all = parsed.originalArgs();
        List<String> args = all.subList(all.indexOf(command) + 1, all.size());
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            OptionSpec o = a.startsWith("-") ? parsed.commandSpec().findOption(name) : null;
            boolean path = o != null && (o.type() == Path.class || o.longestName().equals("--data"));
            if (!path) out.add(a);
            else if (eq > 0 && name.length() < a.length()) out.add(name + "=" + absolute(a.substring(eq + 1)));
            else {
                out.add(a);
                if (i + 1 < args.size()) out.add(absolute(args.get(++i)));
            }
        }
        return out;
    }

    private static String absolute(String value) {
        try {
            Path p = Path.of(value);
            return !p.isAbsolute() && java.nio.file.Files.exists(p) ? p.toAbsolutePath().normalize().toString() : value;
        } catch (java.nio.file.InvalidPathException e) {
            return value;
        }
    }

    /**
     * The provider on the class path, or a clear error naming how to get one.
     *
     * @return the first provider found
     * @throws FeintException when there is none
     */
    static ClusterProvider find() {
        for (ClusterProvider p : ServiceLoader.load(ClusterProvider.class)) return p;
        throw new FeintException("--spark needs the feint-spark module on the class path (./feint builds it on first use of --spark; "
                + "with spark-submit use --class dev.feint.spark.EvalJob feint-spark.jar)");
    }
}
