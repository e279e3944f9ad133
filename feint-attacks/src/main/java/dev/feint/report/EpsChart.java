package dev.feint.report;

import java.util.List;
import java.util.Locale;

/** An inline SVG line chart: robust accuracy (0-100%) against eps, one line per series. */
final class EpsChart {
    record Series(String label, float[] eps, double[] accuracy, boolean dashed) {}

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private EpsChart() {}

    static String svg(String title, List<Series> series) {
        int w = 720, h = 300, left = 50, right = 290, top = 30, bottom = 40;
        int pw = w - left - right, ph = h - top - bottom;
        float maxEps = 0;
        for (Series s : series) for (float e : s.eps()) maxEps = Math.max(maxEps, e);
        if (maxEps == 0) maxEps = 1;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                Html.esc(title), w, h, w, h));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"t\">%s</text>", left, Html.esc(title)));
        for (int g = 0; g <= 4; g++) {
            double y = top + ph - ph * g / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, left + pw, y, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%d%%</text>", left - 6, y + 4, g * 25));
        }
        float[] ticks = series.isEmpty() ? new float[0] : series.get(0).eps();
        for (float e : ticks) {
            double x = left + pw * e / maxEps;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">%s</text>", x, top + ph + 16, Float.toString(e)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">eps</text>", left + pw / 2, h - 4));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String col = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < s.eps().length; k++) {
                if (Double.isNaN(s.accuracy()[k])) continue;
                double x = left + pw * s.eps()[k] / maxEps, y = top + ph - ph * s.accuracy()[k];
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s eps %s: %.1f%%</title></circle>",
                        x, y, col, Html.esc(s.label()), Float.toString(s.eps()[k]), 100 * s.accuracy()[k]));
            }
            b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    pts.toString().trim(), col, s.dashed() ? " stroke-dasharray=\"5,4\"" : ""));
            int ly = top + 12 + i * 18;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    left + pw + 12, left + pw + 32, ly, ly, col, s.dashed() ? " stroke-dasharray=\"5,4\"" : ""));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"ax\">%s</text>", left + pw + 38, ly + 4, Html.esc(s.label())));
        }
        return b.append("</svg>").toString();
    }
}
