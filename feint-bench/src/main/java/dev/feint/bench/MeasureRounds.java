package dev.feint.bench;

import java.util.Arrays;

/**
 * How the side-by-side benchmarks time their engines: JIT-aware warm-up, a settle before each
 * round, rounds interleaved across engines with the order alternating, or turns within a round
 * ({@link #measureTurns}), or (short calls) a warm-up and a long timed stretch in each round with
 * the first call after the settle reported apart ({@link #measureSteady}); medians over rounds.
 */
final class MeasureRounds {
    private MeasureRounds() {}

    /**
     * One engine as the rounds see it: its warm-up and its timed stretches. A {@link #local} body is
     * timed in this JVM; a peer in its own process ({@link PeerProcess}) times the same loops there,
     * so that the clock reads bracket only the peer's calls, not the protocol's round trip.
     */
    interface Engine {
        /** {@link MeasureRounds#warm}: at least {@code minCalls} calls and {@code minNanos}, then until the JIT is quiet. */
        void warm(int minCalls, long minNanos) throws Exception;

        /** {@link MeasureRounds#timedRound}: {calls, nanoseconds}. */
        long[] round(int minCalls, long minNanos) throws Exception;

        /** One round of {@link MeasureRounds#measureSteady} after the pause: {first call's nanoseconds, calls, nanoseconds}. */
        long[] steady(int minCalls, long warmNanos, long timedNanos) throws Exception;

        /** Before the settle ahead of this engine's round: a peer's own JVM collects its garbage (this one's does in {@link #settle}). */
        default void collect() throws Exception {}

        static Engine local(SideBySide.Body body) { return local(body, System::nanoTime); }

        /** {@code body} timed on {@code clock} (a test's fake clock, or {@link System#nanoTime}). */
        static Engine local(SideBySide.Body body, java.util.function.LongSupplier clock) {
            return new Engine() {
                @Override public void warm(int minCalls, long minNanos) throws Exception { MeasureRounds.warm(minCalls, minNanos, body); }
                @Override public long[] round(int minCalls, long minNanos) throws Exception { return timedRound(body, minCalls, minNanos, clock); }
                @Override public long[] steady(int minCalls, long warmNanos, long timedNanos) throws Exception {
                    return steadyRound(body, minCalls, warmNanos, timedNanos, clock);
                }
            };
        }
    }

    private static Engine[] local(SideBySide.Body[] bodies) { return local(bodies, System::nanoTime); }

    private static Engine[] local(SideBySide.Body[] bodies, java.util.function.LongSupplier clock) {
        Engine[] e = new Engine[bodies.length];
        for (int i = 0; i < e.length; i++) e[i] = bodies[i] == null ? null : Engine.local(bodies[i], clock);
        return e;
    }

    /**
     * Rounds of several bodies (null ones skipped), interleaved, the
     * order reversed every other round so that no engine always runs first.
     */
    static SideBySide.Rate[] measureAll(SideBySide.Options o, int imagesPerCall, SideBySide.Body... bodies) throws Exception {
        return measureAll(o, imagesPerCall, local(bodies));
    }

    /** {@link #measureAll(SideBySide.Options, int, SideBySide.Body...)} on engines, a peer's own process among them. */
    static SideBySide.Rate[] measureAll(SideBySide.Options o, int imagesPerCall, Engine... bodies) throws Exception {
        int b = bodies.length;
        double[][] r = new double[b][o.rounds()];
        for (Engine body : bodies) if (body != null) body.warm(o.warmup(), o.warmupNanos());
        for (int k = 0; k < o.rounds(); k++)
            for (int slot = 0; slot < b; slot++) {
                int j = bodyAt(k, slot, b);
                if (bodies[j] == null) continue;
                bodies[j].collect();
                settle();
                long[] callsNanos = bodies[j].round(o.iterations(), 0);
                r[j][k] = (double) imagesPerCall * callsNanos[0] / (callsNanos[1] * 1e-9);
            }
        SideBySide.Rate[] out = new SideBySide.Rate[b];
        for (int j = 0; j < b; j++) if (bodies[j] != null) out[j] = rate(r[j]);
        return out;
    }

    /**
     * Rounds whose bodies (null ones skipped) take turns within the round: after one {@link
     * #settle}, each runs a block of at least {@code blockNanos} (and one call), the order
     * reversed every turn, until every body has at least {@code o.iterations()} calls and {@code
     * minRoundNanos} of timed blocks; a body's rate in the round is its images over its blocks'
     * time. On a busy machine the share of a CPU the benchmark's thread gets changes with where
     * the scheduler puts it after each pause (one engine's separate rounds of batch 1 on one
     * thread ran at 0.46-0.64 of its alone rate): several turns per round give both engines the same
     * spread of shares instead of one draw each. Before each turn but a round's first, a pause
     * of {@link #TURN_PAUSE_MS}: ONNX Runtime's two-thread pool spins for 20-30 ms after a call
     * (measured as the process's CPU time during a sleep after a burst of calls; Feint's workers
     * spin 0.2 ms), which took a CPU from the other engine's whole turn.
     */
    static SideBySide.Rate[] measureTurns(SideBySide.Options o, int rounds, long minRoundNanos, long blockNanos, int imagesPerCall, SideBySide.Body... bodies)
            throws Exception {
        return measureTurns(o, rounds, minRoundNanos, blockNanos, imagesPerCall, local(bodies));
    }

    /** {@link #measureTurns(SideBySide.Options, int, long, long, int, SideBySide.Body...)} on engines. */
    static SideBySide.Rate[] measureTurns(SideBySide.Options o, int rounds, long minRoundNanos, long blockNanos, int imagesPerCall, Engine... bodies)
            throws Exception {
        int b = bodies.length;
        double[][] r = new double[b][rounds];
        for (Engine body : bodies) if (body != null) body.warm(o.warmup(), o.warmupNanos());
        for (int k = 0; k < rounds; k++) {
            for (Engine body : bodies) if (body != null) body.collect();
            settle();
            long[] calls = new long[b], nanos = new long[b];
            boolean first = true;
            for (int turn = 0; !enough(bodies, calls, nanos, o.iterations(), minRoundNanos); turn++)
                for (int slot = 0; slot < b; slot++) {
                    int j = bodyAt(turn, slot, b);
                    if (bodies[j] == null) continue;
                    if (!first) Thread.sleep(TURN_PAUSE_MS);
                    first = false;
                    long[] cn = bodies[j].round(1, blockNanos);
                    calls[j] += cn[0];
                    nanos[j] += cn[1];
                }
            for (int j = 0; j < b; j++) if (bodies[j] != null) r[j][k] = (double) imagesPerCall * calls[j] / (nanos[j] * 1e-9);
        }
        SideBySide.Rate[] out = new SideBySide.Rate[b];
        for (int j = 0; j < b; j++) if (bodies[j] != null) out[j] = rate(r[j]);
        return out;
    }

    /**
     * One engine's steady rate and its first call after a pause: see {@link #measureSteady}.
     *
     * @param rate images/s over each round's timed stretch (median, best, per round)
     * @param firstCallNanos each round's first call after the settle, nanoseconds
     */
    record Steady(SideBySide.Rate rate, double[] firstCallNanos) {
        double firstCallMedianNanos() { return median(firstCallNanos); }
    }

    /**
     * The steady rate of short calls (batch 1), and apart from it the first call after a pause.
     * Rounds interleaved across the bodies (null ones skipped), the order reversed every other
     * round; in each: {@link #settle}, the first call timed alone (its latency), then untimed
     * calls for {@code warmNanos}, then a timed stretch of at least {@code timedNanos} and {@code
     * o.iterations()} calls, whose images over its time are the round's rate. Why: at batch 1 a
     * round of a few calls after the settle (6-10 ms) measured mostly the first calls after the
     * pause, 2-4x slower than warm for both engines (memory untouched for ~20 ms goes cold per page
     * on the benchmark VM; the workers park), so the rows moved 0.5-1.0x between runs of the same
     * build. The settle still keeps the previous engine's pool spin (ONNX Runtime's lasts 20-30 ms)
     * and the garbage out of both the first call and the stretch.
     */
    static Steady[] measureSteady(SideBySide.Options o, long warmNanos, long timedNanos, int imagesPerCall, SideBySide.Body... bodies) throws Exception {
        return measureSteady(o, warmNanos, timedNanos, imagesPerCall, local(bodies));
    }

    /** {@link #measureSteady(SideBySide.Options, long, long, int, SideBySide.Body...)} on engines. */
    static Steady[] measureSteady(SideBySide.Options o, long warmNanos, long timedNanos, int imagesPerCall, Engine... bodies) throws Exception {
        for (Engine body : bodies) if (body != null) body.warm(o.warmup(), o.warmupNanos());
        return steadyRounds(o.rounds(), o.iterations(), warmNanos, timedNanos, imagesPerCall, MeasureRounds::settle, bodies);
    }

    /** A pause between rounds ({@link #settle} in the benchmark; a test's fake clock moves instead). */
    @FunctionalInterface interface Pause { void run() throws Exception; }

    /** {@link #measureSteady}'s rounds on a given clock and pause, without the JIT warm-up. */
    static Steady[] steadyRounds(int rounds, int minCalls, long warmNanos, long timedNanos, int imagesPerCall, java.util.function.LongSupplier clock, Pause pause,
            SideBySide.Body... bodies) throws Exception {
        return steadyRounds(rounds, minCalls, warmNanos, timedNanos, imagesPerCall, pause, local(bodies, clock));
    }

    private static Steady[] steadyRounds(int rounds, int minCalls, long warmNanos, long timedNanos, int imagesPerCall, Pause pause, Engine... bodies)
            throws Exception {
        int b = bodies.length;
        double[][] r = new double[b][rounds], first = new double[b][rounds];
        for (int k = 0; k < rounds; k++)
            for (int slot = 0; slot < b; slot++) {
                int j = bodyAt(k, slot, b);
                if (bodies[j] == null) continue;
                bodies[j].collect();
                pause.run();
                long[] fcn = bodies[j].steady(minCalls, warmNanos, timedNanos);
                first[j][k] = fcn[0];
                r[j][k] = (double) imagesPerCall * fcn[1] / (fcn[2] * 1e-9);
            }
        Steady[] out = new Steady[b];
        for (int j = 0; j < b; j++) if (bodies[j] != null) out[j] = new Steady(rate(r[j]), first[j]);
        return out;
    }

    /** One steady round after the pause: the first call alone, untimed calls for {@code warmNanos}, then the timed stretch. */
    static long[] steadyRound(SideBySide.Body body, int minCalls, long warmNanos, long timedNanos, java.util.function.LongSupplier clock) throws Exception {
        long t0 = clock.getAsLong();
        body.run();
        long t = clock.getAsLong(), firstNanos = t - t0;
        while (t - t0 < warmNanos) {
            body.run();
            t = clock.getAsLong();
        }
        long s0 = t, calls = 0;
        do {
            body.run();
            calls++;
            t = clock.getAsLong();
        } while (calls < minCalls || t - s0 < timedNanos);
        return new long[] {firstNanos, calls, t - s0};
    }

    /** Untimed calls per round before {@link #measureSteady}'s timed stretch, and the stretch. */
    static final long STEADY_WARM_NANOS = 100_000_000L, STEADY_TIMED_NANOS = 200_000_000L;

    private static boolean enough(Engine[] bodies, long[] calls, long[] nanos, int minCalls, long minNanos) {
        for (int j = 0; j < bodies.length; j++)
            if (bodies[j] != null && (calls[j] < minCalls || nanos[j] < minNanos)) return false;
        return true;
    }

    /** Which body runs in {@code slot} of round {@code round}: in order, then in reverse, alternately. */
    static int bodyAt(int round, int slot, int bodies) { return round % 2 == 0 ? slot : bodies - 1 - slot; }

    /** One timed round: at least {@code minCalls} calls and {@code minNanos}; {calls, nanoseconds}. */
    static long[] timedRound(SideBySide.Body body, int minCalls, long minNanos) throws Exception {
        return timedRound(body, minCalls, minNanos, System::nanoTime);
    }

    private static long[] timedRound(SideBySide.Body body, int minCalls, long minNanos, java.util.function.LongSupplier clock) throws Exception {
        long t0 = clock.getAsLong(), t, calls = 0;
        do {
            body.run();
            calls++;
            t = clock.getAsLong() - t0;
        } while (calls < minCalls || t < minNanos);
        return new long[] {calls, t};
    }

    /**
     * Before each timed round: a collection, then a pause. The collection keeps the garbage of
     * earlier rounds (any engine's, and the harness's own) out of this round: young collections
     * triggered inside a Feint round measured up to 54-86 ms when they promoted the harness's
     * data, a quarter of a round, while Feint's own steady-state collections take about 1 ms per
     * 400 MB allocated (80 forward passes). The pause: the previous engine's thread pool may still
     * be spinning (ONNX Runtime's and Feint's workers spin after a call, OpenMP's too) and would
     * take a core from the start of the next engine's round.
     */
    static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(SETTLE_MS);
    }

    static final long SETTLE_MS = 200;

    /**
     * The pause between two turns of {@link #measureTurns}, as long as {@link #settle}'s: 60 ms
     * (twice ONNX Runtime's spin measured alone) left Feint behind on 128 x 2 threads loaded in 4
     * of 5 runs, while separate rounds put it ahead in 9 of 10; on a busy machine the spin lasts
     * longer in wall time.
     */
    static final long TURN_PAUSE_MS = SETTLE_MS;

    /**
     * At least {@code warmup()} calls and {@code warmupNanos()}, and then until the JIT has been
     * quiet for a quarter of that time (at most 4x as long in all): on a busy machine the compiler
     * threads get little CPU, and a fixed wall-clock warm-up left batch-1 paths interpreted.
     */
    static void warm(SideBySide.Options o, SideBySide.Body body) throws Exception { warm(o.warmup(), o.warmupNanos(), body); }

    /** {@link #warm(SideBySide.Options, SideBySide.Body)} with the minimum given as numbers (a peer's process has no Options). */
    static void warm(int minCalls, long minNanos, SideBySide.Body body) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long t0 = System.nanoTime(), quietSince = t0, compiled = timed ? jit.getTotalCompilationTime() : 0;
        for (int i = 0; ; i++) {
            body.run();
            long now = System.nanoTime(), c = timed ? jit.getTotalCompilationTime() : 0;
            if (c != compiled) {
                compiled = c;
                quietSince = now;
            }
            boolean minimum = i + 1 >= minCalls && now - t0 >= minNanos;
            if (minimum && (now - quietSince >= minNanos / 4 || now - t0 >= 4 * minNanos)) return;
        }
    }

    static SideBySide.Rate rate(double[] r) {
        double[] s = r.clone();
        Arrays.sort(s);
        return new SideBySide.Rate(median(r), s[s.length - 1], r);
    }

    static double median(double[] r) {
        double[] s = r.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
