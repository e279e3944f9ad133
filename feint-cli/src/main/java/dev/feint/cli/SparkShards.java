package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackSpec;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.io.Json;
import dev.feint.model.Model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code feint attack --spark MASTER --out-npy DIR [--resume DIR]}: the flags checked and the
 * job described here, before anything runs or is written; the job itself is the cluster
 * provider's (feint-spark), which writes one NPY shard per partition and DIR/index.json.
 */
final class SparkShards {
    private SparkShards() {}

    static int run(AttackCommand c) {
        if (c.spark == null) throw new FeintException((c.partitions != null ? "--partitions" : "--resume") + " needs --spark MASTER");
        if (c.resume != null && c.outNpy != null && !c.resume.toAbsolutePath().normalize().equals(c.outNpy.toAbsolutePath().normalize()))
            throw new FeintException("--resume " + c.resume + " and --out-npy " + c.outNpy + " name different folders (--resume DIR alone is enough)");
        Path dir = c.resume != null ? c.resume : c.outNpy;
        if (dir == null) throw new FeintException("--spark needs --out-npy DIR (the folder for the NPY shards and their index.json)");
        String flag = c.resume != null ? "--resume" : "--out-npy";
        if (c.outImages != null)
            throw new FeintException("--out-images is not written with --spark (the adversarial inputs are in " + dir + "'s shards)");
        AttackCommand.checkFileTarget("--out-json", c.outJson);
        dev.feint.io.internal.Outputs.check(c.outJson);
        if (c.batch < 1) throw new FeintException("--batch must be >= 1, got " + c.batch);
        checkJobFolder(flag, dir, c.resume != null, null, null);
        AttackSpec spec = c.attackSpec();
        Attack a = AttackFlags.create(spec, "");
        try (LoadedModel loaded = LoadedModel.load(c.model.path, c.onnx)) {
            return run(c, a, spec, dir, loaded);
        }
    }

    private static int run(AttackCommand c, Attack a, AttackSpec spec, Path dir, LoadedModel loaded) {
        Model m = loaded.model();
        LoadedModel.checkAttacks(m, List.of(a), "--attack");
        Dataset d = c.dataset(m);
        c.runner(m);                                  // checks --target
        EvalCommand.checkPartitions(c.partitions, d.size(), c.batch);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("attack", spec.toString());
        job.put("seed", c.seed);
        job.put("targeted", c.targeted);
        job.put("target", c.target == null ? (c.targeted ? "random" : "") : c.target);
        job.put("model", c.model.path.getFileName().toString());
        job.put("data", d.name());
        job.put("split", c.subset.split);
        job.put("examples", (long) d.size());
        job.put("batch", (long) c.batch);
        job.put("flags", ClusterProvider.resultFlags(c.spec.commandLine().getParseResult()));
        List<String> args = ClusterProvider.taskArgs(c.spec.commandLine().getParseResult(), "attack");
        Progress bar = new Progress(a.name(), d.size());
        AttackOutcome o = ClusterProvider.find().attackShards(new ClusterProvider.Shards(c.spark, c.partitions, args, c.model.path, job, a,
                d.size(), c.batch, d.exampleShape(), dir, c.resume != null), n -> bar.update(n, "cluster"), System.out);
        bar.done();
        c.print(o, d, loaded.backend());
        if (c.outJson != null) {
            String json = Json.writePretty(c.document(o, d, loaded.backend())) + "\n";
            try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
                out.file(c.outJson, s -> s.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                out.commit();
            }
        }
        return 0;
    }

    /**
     * The folder of a Spark job, checked before anything runs: a folder (or nothing yet); to
     * resume, an existing one; else an empty or new one. A folder holding {@code foreign} (not
     * null) belongs to another kind of run, {@code foreignWhat}.
     */
    static void checkJobFolder(String flag, Path dir, boolean resume, String foreign, String foreignWhat) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new FeintException(flag + " " + dir + ": exists and is not a folder");
        if (resume && !Files.isDirectory(dir)) throw new FeintException(flag + " " + dir + ": no such folder (nothing to resume)");
        if (foreign != null && Files.exists(dir.resolve(foreign)))
            throw new FeintException(flag + " " + dir + ": holds the " + foreign + " of " + foreignWhat);
        if (!resume && !empty(dir))
            throw new FeintException(flag + " " + dir + ": the folder is not empty (continue its job with " + (flag.equals("--journal")
                    ? "--resume" : "--resume " + dir) + ", or choose a new folder)");
    }

    private static boolean empty(Path dir) {
        if (!Files.isDirectory(dir)) return true;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
