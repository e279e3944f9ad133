package dev.feint.bench;

import dev.feint.io.Json;
import dev.feint.nn.Network;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code feint bench --contention} (issue 19): the scaling table of {@link SideBySide} (madry-cnn
 * forward, batch 1/32/128/512 x threads 1/2, Feint vs ONNX Runtime taking turns within each round,
 * {@link MeasureRounds#measureTurns}) measured
 * twice, first with the machine as it is, then with a {@link BackgroundLoad} of N busy threads
 * started and stopped by the benchmark, so anyone can reproduce the busy-machine case. Prints
 * both tables side by side with Feint/ORT in each and what each engine kept of its speed
 * (loaded / alone).
 */
final class ContentionBench {
    private ContentionBench() {}

    public static int run(SideBySide.Options o, int loadThreads, PrintStream out) throws Exception {
        try (Peers peers = o.peers().open()) {
            return run(o, loadThreads, peers, out);
        }
    }

    private static int run(SideBySide.Options o, int loadThreads, Peers peers, PrintStream out) throws Exception {
        Locale.setDefault(Locale.ROOT);
        var json = new LinkedHashMap<String, Object>();
        json.put("model", "madry-cnn 1x28x28 -> 10, fixed random weights (seed " + SideBySide.SEED + "), forward");
        json.put("machine", SideBySide.Machine.describe());
        json.put("loadThreads", loadThreads);
        json.put("quick", o.quick());
        json.put("roundsPerRow", SideBySide.scalingRounds(o));
        json.put("minRoundMs", SideBySide.scalingMinRoundNanos(o) / 1_000_000);
        json.put("turnMs", SideBySide.SCALING_BLOCK_NANOS / 1_000_000);
        json.put("pauseBetweenTurnsMs", MeasureRounds.TURN_PAUSE_MS);
        json.put("peers", peers.describe());
        out.printf("feint bench --contention: scaling table alone, then with a background JVM of %d busy thread(s)%n", loadThreads);
        out.printf("machine: %s%n", SideBySide.Machine.describe());
        out.printf("peers: %s%n", peers.line());

        Network net = SideBySide.network();
        net.eval();
        List<Map<String, Object>> alone, loaded;
        var aloneJson = new LinkedHashMap<String, Object>();
        var loadedJson = new LinkedHashMap<String, Object>();
        json.put("alone", aloneJson);
        json.put("loaded", loadedJson);
        try (var frozen = FrozenWeights.open()) {
            out.println("warming up Feint on every row first (the JIT gets little CPU on a busy machine) ...");
            warmRows(o, net);
            out.printf("%n== alone (load average %s) ==%n", SideBySide.Machine.loadAverage());
            aloneJson.put("loadAverageAtStart", SideBySide.Machine.loadAverage());
            alone = SideBySide.scaling(o, net, peers, out);
            aloneJson.put("loadAverageAtEnd", SideBySide.Machine.loadAverage());
            aloneJson.put("scaling", alone);
            try (BackgroundLoad load = BackgroundLoad.start(loadThreads)) {
                Thread.sleep(1000);                   // let the load's JIT settle before timing
                out.printf("%n== with the background load: %d busy thread(s) (load average %s) ==%n",
                        loadThreads, SideBySide.Machine.loadAverage());
                loadedJson.put("loadAverageAtStart", SideBySide.Machine.loadAverage());
                loaded = SideBySide.scaling(o, net, peers, out);
                loadedJson.put("loadAverageAtEnd", SideBySide.Machine.loadAverage());
                loadedJson.put("scaling", loaded);
                if (!load.alive()) {
                    out.println("ERROR: the background load stopped before the end; the loaded figures are not loaded ones.");
                    return 1;
                }
            }
        } finally {
            Parallel.setThreads(o.threads());
        }
        json.put("rows", summary(alone, loaded, out));
        if (o.json() != null) {
            Json.writeFile(o.json(), json);
            out.println("wrote " + o.json());
        }
        return 0;
    }

    /**
     * One warm-up of Feint's forward per row before the first table: otherwise the first rows are
     * measured while the compiler threads, starved by the other tenants, are still compiling the
     * kernels (the alone table's batch-1 rows came out 2-3x behind the loaded table's).
     */
    static void warmRows(SideBySide.Options o, Network net) throws Exception {
        for (int th : SideBySide.SCALING_THREADS) {
            Parallel.setThreads(th);
            for (int b : SideBySide.SCALING_BATCHES) {
                float[] x = SideBySide.images(b, 7);
                MeasureRounds.warm(o, () -> SideBySide.feintLogits(net, x, b));
            }
        }
    }

    /** The two tables in one, with Feint/ORT in each and loaded/alone per engine; the same as JSON rows. */
    static List<Object> summary(List<Map<String, Object>> alone, List<Map<String, Object>> loaded, PrintStream out) {
        out.printf("%nforward images/s (median of rounds); kept = loaded / alone%n");
        out.printf("%5s %7s | %8s %8s %6s | %8s %8s %6s | %10s %8s%n", "batch", "threads",
                "Feint", "ORT", "F/ORT", "Feint", "ORT", "F/ORT", "Feint kept", "ORT kept");
        out.printf("%5s %7s | %24s | %24s |%n", "", "", "alone", "loaded");
        var rows = new ArrayList<Object>();
        for (int i = 0; i < alone.size(); i++) {
            Map<String, Object> a = alone.get(i), l = loaded.get(i);
            Double fa = (Double) a.get("feintForwardImagesPerSec"), oa = (Double) a.get("onnxRuntimeForwardImagesPerSec");
            Double fl = (Double) l.get("feintForwardImagesPerSec"), ol = (Double) l.get("onnxRuntimeForwardImagesPerSec");
            var m = new LinkedHashMap<String, Object>();
            m.put("batch", a.get("batch"));
            m.put("threads", a.get("threads"));
            m.put("ratioAlone", div(fa, oa));
            m.put("ratioLoaded", div(fl, ol));
            m.put("feintKept", div(fl, fa));
            m.put("onnxRuntimeKept", div(ol, oa));
            rows.add(m);
            out.printf("%5d %7d | %8.0f %8s %6s | %8.0f %8s %6s | %10s %8s%n", (Integer) a.get("batch"), (Integer) a.get("threads"),
                    fa, fmt(oa, "%.0f"), fmt(div(fa, oa), "%.2f"), fl, fmt(ol, "%.0f"), fmt(div(fl, ol), "%.2f"),
                    fmt(div(fl, fa), "%.2f"), fmt(div(ol, oa), "%.2f"));
        }
        return rows;
    }

    private static Double div(Double a, Double b) { return a == null || b == null ? null : a / b; }

    private static String fmt(Double v, String f) { return v == null ? "n/a" : String.format(f, v); }
}
