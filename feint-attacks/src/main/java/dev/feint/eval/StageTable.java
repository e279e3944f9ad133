package dev.feint.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stage table of a composite attack, as AutoAttack prints it: the clean accuracy, then per
 * stage the examples it broke, the robust accuracy after it and its time. Each stage only adds
 * broken examples, so robust accuracy never rises down the table.
 */
public final class StageTable {
    /**
     * One stage: examples it broke, robust accuracy after it (of all examples), its seconds.
     *
     * @param stage the stage's name ("clean" for the first row)
     * @param broken examples it broke
     * @param robustAccuracy robust accuracy after it, of all examples
     * @param seconds its seconds
     */
    public record Row(String stage, long broken, double robustAccuracy, double seconds) {}

    private StageTable() {}

    /**
     * Row 0 is "clean" (accuracy before any stage, time 0); then one row per stage, in order.
     *
     * @param examples the per-example results, with the stage that broke each
     * @param stageSeconds the seconds of each stage, in order
     * @return the rows
     */
    public static List<Row> of(List<ExampleResult> examples, Map<String, Double> stageSeconds) {
        int n = examples.size();
        long robust = 0;
        Map<String, Long> broken = new LinkedHashMap<>();
        for (ExampleResult e : examples) {
            if (e.cleanCorrect()) robust++;
            if (e.cleanCorrect() && e.brokenBy() != null && e.success()) broken.merge(e.brokenBy(), 1L, Long::sum);
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("clean", 0, n == 0 ? Double.NaN : (double) robust / n, 0));
        for (var s : stageSeconds.entrySet()) {
            long b = broken.getOrDefault(s.getKey(), 0L);
            robust -= b;
            rows.add(new Row(s.getKey(), b, n == 0 ? Double.NaN : (double) robust / n, s.getValue()));
        }
        return rows;
    }

    /**
     * The rows as JSON.
     *
     * @param rows the rows
     * @return one object per row: {@code {"stage", "broken", "robustAccuracy", "seconds"}}
     */
    public static List<Object> toJson(List<Row> rows) {
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", r.stage());
            m.put("broken", r.broken());
            m.put("robustAccuracy", r.robustAccuracy());
            m.put("seconds", r.seconds());
            out.add(m);
        }
        return out;
    }

    /**
     * AutoAttack's own lines: "initial accuracy: 91.00%", "robust accuracy after APGD-CE: 41.00% (total time 12.3 s)".
     *
     * @param rows the rows
     * @return the lines
     */
    public static String toText(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        double total = 0;
        for (Row r : rows) {
            total += r.seconds();
            if (r.stage().equals("clean")) b.append(String.format(Locale.ROOT, "initial accuracy: %.2f%%%n", 100 * r.robustAccuracy()));
            else b.append(String.format(Locale.ROOT, "robust accuracy after %s: %.2f%% (%d broken; total time %.1f s)%n",
                    r.stage().toUpperCase(Locale.ROOT), 100 * r.robustAccuracy(), r.broken(), total));
        }
        return b.toString();
    }

    /**
     * A Markdown table: stage | broken | robust accuracy | seconds.
     *
     * @param rows the rows
     * @return the table
     */
    public static String toMarkdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| stage | broken | robust accuracy | seconds |\n|---|---:|---:|---:|\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %d | %.2f%% | %.1f |%n", r.stage(), r.broken(), 100 * r.robustAccuracy(), r.seconds()));
        return b.toString();
    }
}
