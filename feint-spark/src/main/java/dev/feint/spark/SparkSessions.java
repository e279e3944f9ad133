package dev.feint.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        Path jar = ownJar();
        if (jar != null) conf.setJars(new String[] {jar.toString()});
        else conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
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

    /** feint-spark.jar when the classes come from it, else null. */
    private static Path ownJar() {
        try {
            var src = SparkSessions.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
