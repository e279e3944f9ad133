package dev.feint.report.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An inline SVG line chart: robust accuracy (0-100%) against eps, one line per series (an {@link XyChart}). */
final class EpsChart {
    record Series(String label, float[] eps, double[] accuracy, boolean dashed) {}

    private EpsChart() {}

    static String svg(String title, List<Series> series) {
        List<XyChart.Series> xy = new ArrayList<>();
        for (Series s : series) {
            double[] x = new double[s.eps().length];
            for (int i = 0; i < x.length; i++) x[i] = s.eps()[i];
            xy.add(new XyChart.Series(s.label(), x, s.accuracy(), s.dashed()));
        }
        return XyChart.svg(title, "eps", xy, 1, v -> String.format(Locale.ROOT, "%.1f%%", 100 * v));
    }
}
