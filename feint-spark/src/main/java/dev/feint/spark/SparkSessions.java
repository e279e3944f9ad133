package dev.feint.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Spark context of the process (Spark allows one): created for a job and stopped after
 * it ({@link #release}), or, with {@code -Dfeint.spark.reuse=true} (the tests), kept for the next
 * job on the same master and replaced when another master is asked for. The executors get Feint's classes from feint-spark.jar when running
 * from it, else (tests, an IDE) from this JVM's class path, which every process on this machine
 * can read.
 */
final class SparkSessions {
    private static JavaSparkContext current;
    private static String currentMaster;

    private SparkSessions() {}

    /** The context for master, created if needed; the start-up time goes to human. */
    static synchronized JavaSparkContext get(String master, PrintStream human) {
        if (current != null && master.equals(currentMaster) && !current.sc().isStopped()) return current;
        stop();
        long t0 = System.nanoTime();
        SparkConf conf = new SparkConf().setAppName("feint").setMaster(master)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.task.maxFailures", "4");
        if (master.startsWith("local")) conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        List<String> jars = shippedJars();
        if (!jars.isEmpty()) {
            String given = conf.get("spark.jars", "");                 // spark-submit's application jar and --jars stay
            for (String j : given.split(",")) if (!j.isBlank() && !jars.contains(j)) jars.add(j);
            conf.setJars(jars.toArray(String[]::new));
        } else {
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        try {
            current = new JavaSparkContext(conf);
        } catch (Exception e) {                       // Scala's SparkException is checked in Java's eyes, but undeclared
            throw new dev.feint.FeintException("--spark " + master + ": cannot start a Spark session (" + e.getMessage()
                    + "; expected local, local[N], local[N,F] or spark://host:port)", e);
        }
        current.setLogLevel("WARN");
        currentMaster = master;
        human.printf("spark: %s up in %.1f s (%d-way default parallelism; session start-up is a fixed cost of every job)%n", master,
                (System.nanoTime() - t0) / 1e9, current.defaultParallelism());
        return current;
    }

    /** Called after a job: stops the context unless contexts are reused. */
    static synchronized void release() {
        if (!Boolean.getBoolean("feint.spark.reuse")) stop();
    }

    /** Stops the current context, if any. */
    static synchronized void stop() {
        if (current != null) current.stop();
        current = null;
        currentMaster = null;
    }

    /**
     * The jars the executors fetch from the driver: feint-spark.jar when the classes come from it
     * and, when feint-djl is on the driver's class path (./feint adds it for a .pt model), its
     * jar and the DJL jars beside it in lib/, so that executors on other JVMs load TorchScript
     * models too. Empty when running from class folders (tests, an IDE): the executors then get
     * this JVM's class path, which every process on this machine can read.
     */
    static List<String> shippedJars() {
        List<String> out = new ArrayList<>();
        Path own = jarOf(SparkSessions.class);
        if (own == null) return out;
        out.add(own.toString());
        try {
            Path djl = jarOf(Class.forName("dev.feint.djl.TorchScriptModel", false, SparkSessions.class.getClassLoader()));
            if (djl != null) {
                out.add(djl.toString());
                Path lib = djl.resolveSibling("lib");
                if (Files.isDirectory(lib))
                    try (var s = Files.list(lib)) {
                        s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> out.add(f.toString()));
                    }
            }
        } catch (ClassNotFoundException | java.io.IOException e) {
            // no feint-djl on the class path: nothing more to ship
        }
        return out;
    }

    /** The jar a class comes from, or null (a class folder, no code source). */
    private static Path jarOf(Class<?> c) {
        try {
            var src = c.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
