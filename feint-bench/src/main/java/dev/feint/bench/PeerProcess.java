package dev.feint.bench;

import dev.feint.FeintException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One peer in a child JVM ({@link PeerServer}), started once per bench run and kept warm across
 * rows, driven over a line protocol on its standard input and output. The child times the peer's
 * calls itself with {@link MeasureRounds}' loops; the rounds' order and pauses stay the parent's,
 * so each engine is idle while the other measures, as in one process.
 *
 * <p>Every wait is bounded: a child that dies, answers {@code error}, prints anything but an
 * answer, or does not answer in time ({@link #timeoutNanos}, more for long rounds) is a {@link
 * FeintException} naming the peer and the command, with the child's last lines of standard error;
 * the child is then stopped. As {@link BackgroundLoad}, it is stopped however the bench ends: by
 * {@link #close}, by a shutdown hook, or by itself when its standard input reaches end of file.
 */
final class PeerProcess implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    static final long DEFAULT_TIMEOUT_NANOS = 120_000_000_000L;
    private static final int STDERR_LINES = 12;

    private final String label;
    private final Process process;
    private final Writer toChild;
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> stderr = new ArrayDeque<>();
    private final Thread hook;
    private final long timeoutNanos;
    private final AtomicInteger ids = new AtomicInteger();
    private boolean failed;

    private PeerProcess(String label, Process process, long timeoutNanos) {
        this.label = label;
        this.process = process;
        this.timeoutNanos = timeoutNanos;
        toChild = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        hook = new Thread(process::destroyForcibly, "feint-peer-stopper");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon("feint-peer-out", () -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) answers.add(l);
            } catch (IOException e) { /* the child went away: EOF below */ }
            answers.add(EOF);
        });
        // Drained so that a chatty child never blocks on a full pipe; the last lines go into errors.
        daemon("feint-peer-err", () -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; )
                    synchronized (stderr) {
                        if (l.startsWith("WARNING: Using incubator modules")) continue;
                        stderr.addLast(l);
                        if (stderr.size() > STDERR_LINES) stderr.removeFirst();
                    }
            } catch (IOException e) { /* gone */ }
        });
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** A {@link PeerServer} child for {@code label} (used in messages) with {@code javaOptions}; returns once it reads commands. */
    static PeerProcess start(String label, List<String> javaOptions) {
        return start(label, javaOptions, PeerServer.class.getName(), DEFAULT_TIMEOUT_NANOS);
    }

    /** As {@link #start(String, List)} with another main class (a test's misbehaving child) and wait. */
    static PeerProcess start(String label, List<String> javaOptions, String mainClass, long timeoutNanos) {
        List<String> opts = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        opts.addAll(javaOptions);
        List<String> cmd = ChildJvm.command(opts, mainClass);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new Failure(label + "'s JVM did not start: " + e.getMessage());
        }
        PeerProcess pp = new PeerProcess(label, p, timeoutNanos);
        String first = pp.next("start", timeoutNanos);
        if (!first.equals(PeerServer.READY)) throw pp.fail("start", "garbage on the protocol: " + clip(first));
        return pp;
    }

    /** Sends one command and returns the answer after {@code ok}; waits at most {@link #timeoutNanos} plus {@code expectedNanos} times eight. */
    String call(String command, long expectedNanos) {
        if (failed) throw new Failure(label + "'s process failed earlier");
        try {
            toChild.write(command);
            toChild.write('\n');
            toChild.flush();
        } catch (IOException e) {
            throw fail(command, "cannot send the command (" + e.getMessage() + ")");
        }
        String a = next(command, timeoutNanos + 8 * Math.max(0, expectedNanos));
        if (a.equals("ok")) return "";
        if (a.startsWith("ok ")) return a.substring(3);
        if (a.startsWith("error ")) throw fail(command, a.substring(6));
        throw fail(command, "garbage on the protocol: " + clip(a));
    }

    private String next(String command, long waitNanos) {
        String a;
        try {
            a = answers.poll(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(command, "interrupted");
        }
        if (a == null) throw fail(command, "no answer in " + waitNanos / 1_000_000_000L + " s");
        if (a.equals(EOF)) {
            String code;
            try {
                code = process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = "interrupted";
            }
            throw fail(command, "the process ended (" + code + ")");
        }
        return a;
    }

    /** What goes wrong with a peer's process; the CLI prints it and exits with code 2. */
    static final class Failure extends FeintException {
        Failure(String message) { super(message); }
    }

    private Failure fail(String command, String what) {
        failed = true;
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err;
        synchronized (stderr) {
            err = stderr.isEmpty() ? "" : "; its last lines on stderr: " + String.join(" | ", stderr);
        }
        String c = command.split(" ")[0];
        return new Failure(label + " in its own process failed at '" + c + "': " + what + err);
    }

    /** A command whose answer is floats ({@link PeerServer#hex}). */
    private float[] floats(String command) {
        String a = call(command, 0);
        try {
            return PeerServer.unhex(a);
        } catch (NumberFormatException e) {
            throw fail(command, "garbage on the protocol: '" + clip(a) + "'");
        }
    }

    private static String clip(String s) { return s.length() > 200 ? s.substring(0, 200) + "..." : s; }

    private String id(String kind) { return kind + ids.incrementAndGet(); }

    boolean alive() { return process.isAlive(); }

    String ortVersion() { return call("ort-version", 0); }

    /** An ONNX Runtime session in the child. */
    Peers.Ort ort(Path onnx, int threads) {
        String id = id("ort");
        call("ort " + id + " " + threads + " " + onnx.toAbsolutePath(), 0);
        return new Peers.Ort() {
            @Override public float[] logits(Peers.Input x) { return floats("logits " + id + " " + PeerServer.spell(x)); }

            @Override public Peers.Timed forward(Peers.Input x) { return timed("forward %s " + id + " " + PeerServer.spell(x)); }

            @Override public void close() { closeRemote(id); }
        };
    }

    /** PyTorch on madry-cnn in the child. */
    Peers.Torch torch(int threads) {
        String id = id("torch");
        String[] a = call("torch " + id + " " + threads, 0).split(" ", 2);
        int libThreads = Integer.parseInt(a[0]);
        String version = a[1];
        return new Peers.Torch() {
            @Override public String version() { return version; }

            @Override public int threads() { return libThreads; }

            @Override public float[] logits(Peers.Input x) { return floats("logits " + id + " " + PeerServer.spell(x)); }

            @Override public float[] inputGradient(Peers.Input x, long labelSeed) {
                return floats("grad " + id + " " + labelSeed + " " + PeerServer.spell(x));
            }

            @Override public float[] sgdStepConv1(Peers.Input x, long labelSeed) {
                return floats("sgd " + id + " " + labelSeed + " " + PeerServer.spell(x));
            }

            @Override public Peers.Timed forward(Peers.Input x) { return timed("forward %s " + id + " " + PeerServer.spell(x)); }

            @Override public Peers.Timed pgd(Peers.Input x, long labelSeed, float eps, float alpha) {
                return timed("pgd %s " + id + " " + labelSeed + " " + eps + " " + alpha + " " + PeerServer.spell(x));
            }

            @Override public Peers.Timed train(Peers.Input x, long labelSeed, float lr) {
                return timed("train %s " + id + " " + labelSeed + " " + lr + " " + PeerServer.spell(x));
            }

            @Override public void close() { closeRemote(id); }
        };
    }

    String torchVersion(int threads) { return call("torch-version " + threads, 0); }

    /** A TorchScript model in the child. */
    Peers.Script script(Path file, int threads, int classes) {
        String id = id("script");
        call("script " + id + " " + threads + " " + classes + " " + file.toAbsolutePath(), 0);
        return new Peers.Script() {
            @Override public float[] logits(Peers.Input x) { return floats("logits " + id + " " + PeerServer.spell(x)); }

            @Override public float[] inputGradient(Peers.Input x, int[] labels) {
                return floats("sgrad " + id + " " + PeerServer.spell(labels) + " " + PeerServer.spell(x));
            }

            @Override public Peers.Timed gradient(Peers.Input x, int[] labels) {
                return timed("sgradient %s " + id + " " + PeerServer.spell(labels) + " " + PeerServer.spell(x));
            }

            @Override public void close() { closeRemote(id); }
        };
    }

    private void closeRemote(String id) {
        if (!failed && process.isAlive()) call("close " + id, 0);
    }

    /** A timed body made in the child by {@code create} (its {@code %s} the body's id). */
    private Peers.Timed timed(String create) {
        String id = id("t");
        call(String.format(create, id), 0);
        return new Peers.Timed() {
            @Override public void warm(int minCalls, long minNanos) { call("warm " + id + " " + minCalls + " " + minNanos, 4 * minNanos); }

            @Override public long[] round(int minCalls, long minNanos) {
                return longs(call("round " + id + " " + minCalls + " " + minNanos, minNanos), 2);
            }

            @Override public long[] steady(int minCalls, long warmNanos, long timedNanos) {
                return longs(call("steady " + id + " " + minCalls + " " + warmNanos + " " + timedNanos, warmNanos + timedNanos), 3);
            }

            @Override public void collect() { call("gc", 0); }

            @Override public void close() { closeRemote(id); }
        };
    }

    private long[] longs(String answer, int n) {
        String[] p = answer.split(" ");
        if (p.length != n) throw fail("round", "garbage on the protocol: '" + clip(answer) + "' (expected " + n + " numbers)");
        long[] v = new long[n];
        try {
            for (int i = 0; i < n; i++) v[i] = Long.parseLong(p[i]);
        } catch (NumberFormatException e) {
            throw fail("round", "garbage on the protocol: '" + clip(answer) + "'");
        }
        return v;
    }

    /** Stops the child: end of its standard input first (it exits by itself), then by force. */
    @Override public void close() {
        try {
            toChild.close();
        } catch (IOException e) { /* gone already */ }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) { /* already shutting down: the hook runs anyway */ }
    }
}
