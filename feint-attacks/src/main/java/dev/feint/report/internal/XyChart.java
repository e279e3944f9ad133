package dev.feint.report.internal;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * An inline SVG line chart: y against x from 0, one line per series, x ticks at the first
 * series' x values, five y grid lines from 0 to {@code yMax} (NaN: the largest y, rounded up).
 */
final class XyChart {
    record Series(String label, double[] x, double[] y, boolean dashed) {}

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private XyChart() {}

    static String svg(String title, String xLabel, List<Series> series, double yMax, DoubleFunction<String> yFormat) {
        int w = 720, h = 300, left = 58, right = 290, top = 30, bottom = 40;
        int pw = w - left - right, ph = h - top - bottom;
        double maxX = 0, maxY = yMax;
        for (Series s : series) for (double x : s.x()) maxX = Math.max(maxX, x);
        if (maxX == 0) maxX = 1;
        if (Double.isNaN(maxY)) {
            maxY = 0;
            for (Series s : series) for (double y : s.y()) if (!Double.isNaN(y)) maxY = Math.max(maxY, y);
            maxY = nice(maxY);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                Html.esc(title), w, h, w, h));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"t\">%s</text>", left, Html.esc(title)));
        for (int g = 0; g <= 4; g++) {
            double y = top + ph - ph * g / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, left + pw, y, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%s</text>", left - 6, y + 4,
                    Html.esc(yFormat.apply(maxY * g / 4))));
        }
        double[] ticks = series.isEmpty() ? new double[0] : series.get(0).x();
        double lastTick = Double.NEGATIVE_INFINITY;
        for (double e : ticks) {
            double x = left + pw * e / maxX;
            if (x - lastTick < 30) continue; // labels closer than this overlap: keep the first
            lastTick = x;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">%s</text>", x, top + ph + 16, label(e)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">%s</text>", left + pw / 2, h - 4, Html.esc(xLabel)));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String col = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < s.x().length; k++) {
                if (Double.isNaN(s.y()[k])) continue;
                double x = left + pw * s.x()[k] / maxX, y = top + ph - ph * Math.min(s.y()[k], maxY) / maxY;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s %s: %s</title></circle>",
                        x, y, col, Html.esc(s.label()), Html.esc(xLabel), label(s.x()[k]), Html.esc(yFormat.apply(s.y()[k]))));
            }
            String dash = s.dashed() ? " stroke-dasharray=\"5,4\"" : "";
            b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>", pts.toString().trim(), col, dash));
            int ly = top + 12 + i * 18;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    left + pw + 12, left + pw + 32, ly, ly, col, dash));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"ax\">%s</text>", left + pw + 38, ly + 4, Html.esc(s.label())));
        }
        return b.append("</svg>").toString();
    }

    /** x as the shortest float text (eps 0.1, not 0.10000000149). */
    private static String label(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e7 ? Long.toString((long) x) : Float.toString((float) x);
    }

    /** The smallest of 1, 2, 4, 5, 8 times a power of ten at or above v (1 for v <= 0): quarters of it print short. */
    static double nice(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 4, 5, 8, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
