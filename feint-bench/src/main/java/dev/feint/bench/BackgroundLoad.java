package dev.feint.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM that keeps {@code threads} threads busy with a fixed CPU-bound loop, for measuring
 * Feint on a busy machine ({@code feint bench --contention}). {@link #start} launches it and waits
 * until every load thread runs; {@link #close} stops it. It is stopped however the benchmark ends:
 * by {@code close()}, by a shutdown hook (Ctrl-C, {@code System.exit}), and, if the benchmark's JVM is
 * killed outright, by the child itself, which exits when its standard input (a pipe from the
 * parent) reaches end of file.
 *
 * <p>The loop: each thread walks its own 256 KiB array (inside a core's L2) doing dependent integer
 * and floating-point arithmetic, the kind of work a compiler or a test run keeps a core busy with.
 * It never sleeps, allocates or synchronises.
 */
public final class BackgroundLoad implements AutoCloseable {
    /** Printed by the child on its standard output once all its threads run. */
    static final String READY = "feint-load-ready";
    static final int WORDS = 64 * 1024;

    private final Process process;
    private final Thread hook;
    private final int threads;

    private BackgroundLoad(Process process, int threads) {
        this.process = process;
        this.threads = threads;
        this.hook = new Thread(process::destroyForcibly, "feint-load-stopper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a load JVM of {@code threads} busy threads and returns once they all run. */
    static BackgroundLoad start(int threads) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("load threads must be >= 1, got " + threads);
        List<String> cmd = ChildJvm.command(List.of("-Xmx64m", "-XX:+UseSerialGC"), BackgroundLoad.class.getName(), Integer.toString(threads));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BackgroundLoad load = new BackgroundLoad(p, threads);
        try {
            InputStream in = p.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) line.append((char) c);
            if (!line.toString().trim().equals(READY))
                throw new IOException("background load JVM did not start (exit code "
                        + (p.waitFor(2, TimeUnit.SECONDS) ? p.exitValue() : -1) + "): " + line);
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        } catch (InterruptedException e) {
            load.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the background load", e);
        }
        return load;
    }

    int threads() { return threads; }

    /** Whether the load JVM still runs (a load that died would make the "loaded" figures idle ones). */
    boolean alive() { return process.isAlive(); }

    /** Stops the load JVM and waits for it to exit. */
    @Override public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) { /* already shutting down: the hook runs anyway */ }
    }

    /**
     * The child: {@code threads} busy threads until standard input closes.
     *
     * @param args one argument, the number of busy threads
     * @throws Exception if standard input cannot be read
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        for (int i = 0; i < n; i++) {
            int seed = i;
            Thread t = new Thread(() -> spin(seed), "feint-load-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() != -1) { /* the parent holds the pipe open while it wants the load */ }
        System.exit(0);
    }

    /** The fixed loop. The result is published to a volatile so the JIT cannot drop the work. */
    private static void spin(int seed) {
        int[] a = new int[WORDS];
        for (int i = 0; i < WORDS; i++) a[i] = i * 0x9E3779B9 + seed;
        int h = seed, i = 0;
        double f = 1.0;
        while (true) {
            h = h * 0x01000193 ^ a[i];
            a[i] = h;
            f = f * 1.0000001 + (h & 0xff) * 1e-9;
            i = (i + 1 + (h & 7)) & (WORDS - 1);
            if (i == 0) sink = f;
        }
    }

    static volatile double sink;
}
