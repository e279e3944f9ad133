package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The folder of a resumable Spark job ({@code feint attack --spark --out-npy DIR},
 * {@code feint eval --spark --journal DIR}): {@code job.json}, written by the driver before any
 * task runs, records what decides the results (model hash, data, attack specifications, seed,
 * flags, partitioning); each partition's files carry the record's hash in their marker. A resume
 * must describe the same job: the first field that differs is named in the error.
 */
final class JobFolder {
    static final String JOB = "job.json";

    private JobFolder() {}

    /** The SHA-256 of the job record's canonical JSON: what every marker of the job names. */
    static String hash(Map<String, Object> job) {
        return HexFormat.of().formatHex(Marker.digest().digest(Json.write(job).getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes job.json into dir (created if missing). */
    static void create(Path dir, Map<String, Object> job) { AtomicFiles.writeString(dir.resolve(JOB), Json.writePretty(job) + "\n"); }

    /**
     * The partitions of the job recorded in dir, after checking that {@code job} (without its
     * partitions) is the recorded one and {@code partitions} (null: take the recorded) equals
     * the recorded count; {@code flag} names the folder's flag in the messages.
     */
    static Integer recordedPartitions(Path dir, Map<String, Object> job, Integer partitions, String flag) {
        Path f = dir.resolve(JOB);
        if (!Files.isRegularFile(f))
            throw new FeintException(flag + " " + dir + ": no " + JOB + " (not the folder of a feint " + job.getOrDefault("command", "attack")
                    + " --spark job)");
        Object recorded;
        try {
            if (Files.size(f) > 1 << 20) throw new FeintException(flag + " " + dir + ": " + JOB + " is larger than 1 MiB");
            recorded = Json.parse(Files.readString(f), f.toString());
        } catch (IOException e) {
            throw new FeintException(flag + " " + dir + ": cannot read " + JOB + " (" + e.getMessage() + ")", e);
        }
        if (!(recorded instanceof Map<?, ?> r) || !(r.get("partitions") instanceof Long rp))
            throw new FeintException(flag + " " + dir + ": " + JOB + " is not a job record (no partitions)");
        Map<String, Object> now = new LinkedHashMap<>(job);
        now.put("partitions", partitions != null ? (long) partitions : rp);
        Object canonical = Json.parse(Json.write(now));
        if (!canonical.equals(recorded)) {
            Map<?, ?> c = (Map<?, ?>) canonical;
            for (Object k : c.keySet())
                if (!Objects.equals(c.get(k), r.get(k)))
                    throw new FeintException(flag + " " + dir + ": the folder holds another job (" + k + " recorded " + Json.write(r.get(k))
                            + ", now " + Json.write(c.get(k)) + "); resume with the same flags, model and data, or choose a new folder");
            throw new FeintException(flag + " " + dir + ": " + JOB + " records another job (" + Json.write(recorded) + ")");
        }
        return (int) (long) rp;             // an Integer: callers choose between it and a null --partitions
    }

    /** Removes a file of the folder if present (a stale index while the folder is incomplete). */
    static void delete(Path dir, String name, String flag) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new FeintException(flag + " " + dir + ": cannot remove the old " + name + " (" + e.getMessage() + ")", e);
        }
    }
}
