package dev.feint.eval.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one check found: the verdict, the figure that decided it ({@code measure} names it), the
 * threshold the figure was compared with (the one it crossed, or the pass threshold), and one
 * sentence on what it means and what to do. {@code unit} says how to print figure and threshold.
 * {@code details} holds the other figures the check computed, JSON-ready (numbers, strings,
 * booleans, lists and maps of them).
 *
 * @param id the check's id
 * @param title a short title
 * @param verdict the verdict
 * @param measure names the figure
 * @param figure the figure that decided the verdict
 * @param threshold the threshold it was compared with
 * @param unit how figure and threshold print
 * @param message one sentence on what it means and what to do
 * @param details the other figures, JSON-ready
 */
public record CheckResult(String id, String title, Verdict verdict, String measure, double figure, double threshold, Unit unit,
                          String message, Map<String, Object> details) {
    /** How a figure reads: a fraction of examples (printed as a percentage), a count, or a plain value. */
    public enum Unit {
        /** A fraction of examples, printed as a percentage. */
        FRACTION,
        /** A count, printed whole. */
        COUNT,
        /** A plain value, printed with 3 significant digits. */
        VALUE
    }

    /** Copies the details, so that the result stays immutable. */
    public CheckResult {
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A result whose figure is a fraction of examples.
     *
     * @param id the check's id
     * @param title a short title
     * @param verdict the verdict
     * @param measure names the figure
     * @param figure the fraction that decided the verdict
     * @param threshold the threshold it was compared with
     * @param message what it means and what to do
     * @param details the other figures
     */
    public CheckResult(String id, String title, Verdict verdict, String measure, double figure, double threshold, String message,
                       Map<String, Object> details) {
        this(id, title, verdict, measure, figure, threshold, Unit.FRACTION, message, details);
    }

    /**
     * A result whose figure is a fraction of examples, without details.
     *
     * @param id the check's id
     * @param title a short title
     * @param verdict the verdict
     * @param measure names the figure
     * @param figure the fraction that decided the verdict
     * @param threshold the threshold it was compared with
     * @param message what it means and what to do
     */
    public CheckResult(String id, String title, Verdict verdict, String measure, double figure, double threshold, String message) {
        this(id, title, verdict, measure, figure, threshold, Unit.FRACTION, message, Map.of());
    }

    /**
     * A figure as the report prints it: fractions as percentages, counts whole, values with 3 significant digits.
     *
     * @param v the figure
     * @return the text
     */
    public String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "none" : "-none";
        return switch (unit) {
            case FRACTION -> String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v);
            case COUNT -> Long.toString(Math.round(v));
            case VALUE -> String.format(java.util.Locale.ROOT, "%.3g", v);
        };
    }

    /**
     * The same result with more details (later keys win).
     *
     * @param more the details to add
     * @return the new result
     */
    public CheckResult with(Map<String, Object> more) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>(details);
        d.putAll(more);
        return new CheckResult(id, title, verdict, measure, figure, threshold, unit, message, d);
    }

    /** {@return JSON-ready (NaN figures are written as null)} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("verdict", verdict.name());
        m.put("measure", measure);
        m.put("figure", figure);
        m.put("threshold", Double.isInfinite(threshold) ? null : threshold);
        m.put("unit", unit.name().toLowerCase(java.util.Locale.ROOT));
        m.put("message", message);
        m.put("details", new LinkedHashMap<>(details));
        return m;
    }
}
