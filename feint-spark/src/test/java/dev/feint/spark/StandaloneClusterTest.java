package dev.feint.spark;

import dev.feint.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone Spark cluster on loopback (a Master and two one-core Workers in child JVMs, on
 * free ports): a job submitted to it loses a worker while it runs and still completes with the
 * single-machine result.
 */
class StandaloneClusterTest {
    @TempDir Path dir;
    /** The processes' logs and work folders, kept in target/ for a failure's post-mortem. */
    private final Path logs = Path.of("target", "standalone-cluster");

    @Test
    void aJobCompletesIdenticallyWhenAWorkerIsKilledMidJob() throws Exception {
        SparkSessions.stop();
        deleteTree(logs);
        Files.createDirectories(logs);
        Path home = sparkHome();
        int port = freePort();
        List<Process> procs = new ArrayList<>();
        try {
            procs.add(jvm(home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
                    "--webui-port", "" + freePort()));
            awaitPort(port);
            String url = "spark://127.0.0.1:" + port;
            for (int w = 0; w < 2; w++)
                procs.add(jvm(home, "worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "1g", "--webui-port", "" + freePort(), "--work-dir", logs.resolve("work" + w).toAbsolutePath().toString(), url));
            Path plainJson = dir.resolve("plain.json"), plainEx = dir.resolve("plain.jsonl");
            run(args(plainJson, plainEx, "--threads", "1"));
            Path json = dir.resolve("cluster.json"), ex = dir.resolve("cluster.jsonl");
            Process victim = procs.get(2);
            Thread killer = new Thread(() -> {
                try {
                    // Once the victim's executor runs a task (its log says so), kill the worker and its executor.
                    while (!runsATask(logs.resolve("work1"))) Thread.sleep(50);
                    victim.descendants().forEach(ProcessHandle::destroyForcibly);
                    victim.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();
            run(args(json, ex, "--spark", url, "--partitions", "8"));
            killer.join(1000);
            assertTrue(!victim.isAlive(), "the worker was killed during the job");
            assertEquals(Files.readString(plainEx), Files.readString(ex), "per-example results");
            assertEquals(SparkEvalTest.untimed(dev.feint.io.Json.read(plainJson)), SparkEvalTest.untimed(dev.feint.io.Json.read(json)));
        } finally {
            SparkSessions.stop();
            for (Process p : procs) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : procs) p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** True once an executor under this worker's folder has logged "Got assigned task". */
    private static boolean runsATask(Path work) {
        if (!Files.isDirectory(work)) return false;
        try (var files = Files.walk(work)) {
            return files.filter(f -> f.getFileName().toString().equals("stderr")).anyMatch(f -> {
                try {
                    return Files.readString(f).contains("Got assigned task");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static List<String> args(Path json, Path ex, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--model", SparkEvalTest.MODEL.toAbsolutePath().toString(), "--data",
                SparkEvalTest.DATA.toAbsolutePath().toString(), "--limit", "200", "--attacks", "pgd", "--eps", "0.1", "--steps", "20",
                "--batch", "25", "--seed", "5", "--json", json.toString(), "--examples", ex.toString(), "--quiet"));
        a.addAll(List.of(extra));
        return a;
    }

    private static void run(List<String> args) {
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(err, true), args.toArray(String[]::new)), err.toString());
    }

    /** A SPARK_HOME whose jars/ links this JVM's Spark and Scala jars: what a worker puts on its executors' class path. */
    private Path sparkHome() throws IOException {
        Path home = logs.resolve("spark-home").toAbsolutePath(), jars = Files.createDirectories(home.resolve("jars"));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            if (e.endsWith(".jar")) {
                Path j = Path.of(e);
                Path link = jars.resolve(j.getFileName());
                if (!Files.exists(link)) Files.createSymbolicLink(link, j.toAbsolutePath());
            }
        return home;
    }

    private Process jvm(Path home, String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Dio.netty") || a.startsWith("--sun-misc")
                    || a.startsWith("-Dlog4j") || a.startsWith("--enable-native")) cmd.add(a);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // the launcher cannot tell it from a jars/ folder
        return pb.start();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the master did not open port " + port + " in 60 s");
    }
}
