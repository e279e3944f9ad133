package dev.feint.report.internal;

import dev.feint.eval.LinearExplanation;
import dev.feint.io.internal.Outputs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML page of {@code feint explain-linear}: per model, the predicted logit-gap change
 * {@code eps * ||grad||_1} against the measured one (unclipped and clipped to the bounds) over
 * eps, and across models the growth of {@code ||grad||_1} with the input dimension.
 */
public final class LinearHtml {
    /**
     * One model's section: its name, its architecture (models of one architecture at several input
     * sizes make one line of the dimension chart), what kind of model it is (linear, ends in a
     * linear layer, ...) and its figures.
     *
     * @param name the model's name
     * @param architecture its architecture
     * @param kind what kind of model it is
     * @param report its figures
     */
    public record Entry(String name, String architecture, String kind, LinearExplanation.Report report) {}

    private LinearHtml() {}

    /**
     * Stages index.html and report.json (with {@code json} as its body) into {@code out}; returns the page.
     *
     * @param out the outputs committed together
     * @param dir the report's folder
     * @param command the command line
     * @param version Feint's version
     * @param entries one section per model
     * @param json the body of report.json
     * @return the page's path
     */
    public static Path stage(Outputs out, Path dir, String command, String version, List<Entry> entries, Map<String, Object> json) {
        LinearExplanation.Report first = entries.getFirst().report();
        StringBuilder b = TransferHtml.head("Feint linear explanation", first.examples() + " examples, " + entries.size() + " model"
                + (entries.size() == 1 ? "" : "s"), version);
        b.append("<p class=\"note\">For each input, g is the input gradient of the logit gap z<sub>j</sub> &minus; z<sub>y</sub> "
                + "(j the top other class). The linear view predicts that x + eps&middot;sign(g) moves the gap by eps&middot;||g||<sub>1</sub>"
                + " (Goodfellow et al., arXiv:1412.6572): n inputs of mean gradient m add up to eps&middot;m&middot;n. Measured: the gap "
                + "at x + eps&middot;sign(g), unclipped and clipped to the input bounds. Means over the examples. On a model linear in its input the predicted "
                + "(dashed) line lies exactly on the measured one.</p>");
        b.append("<h2>Growth with the input dimension</h2><table><thead><tr><th>model</th><th>kind</th><th>input</th><th>n</th>"
                + "<th>mean ||g||<sub>1</sub></th><th>mean |g<sub>i</sub>|</th><th>eps</th><th>predicted</th><th>measured</th>"
                + "<th>measured, clipped</th><th>error, clipped</th></tr></thead><tbody>");
        for (Entry e : entries) {
            LinearExplanation.Report r = e.report();
            LinearExplanation.Point p = r.points().getLast();
            b.append("<tr><td>").append(Html.esc(e.name())).append("</td><td>").append(Html.esc(e.kind())).append("</td><td>")
                    .append(shape(r.input())).append("</td><td>").append(r.inputSize()).append("</td><td>").append(Html.num(r.meanGradL1(), 3))
                    .append("</td><td>").append(Html.num(r.meanAbsGrad(), 5)).append("</td><td>").append(p.eps()).append("</td><td>")
                    .append(Html.num(p.predicted(), 3)).append("</td><td>").append(Html.num(p.measured(), 3)).append("</td><td>")
                    .append(Html.num(p.measuredClipped(), 3)).append("</td><td>").append(Html.pct(p.errorClipped())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (entries.size() > 1) b.append(dimensionChart(entries));
        for (Entry e : entries) {
            LinearExplanation.Report r = e.report();
            b.append("<h2>").append(Html.esc(e.name())).append(" <span class=\"sub\">").append(Html.esc(e.kind())).append(", input ")
                    .append(shape(r.input())).append("</span></h2>").append(gapChart(e));
            b.append("<table><thead><tr><th>eps</th><th>predicted eps&middot;||g||<sub>1</sub></th><th>measured</th><th>measured / predicted</th>"
                    + "<th>worst example |measured &minus; predicted| / predicted</th><th>measured, clipped</th><th>error, clipped</th>"
                    + "</tr></thead><tbody>");
            for (LinearExplanation.Point p : r.points())
                b.append("<tr><td>").append(p.eps()).append("</td><td>").append(Html.num(p.predicted(), 4)).append("</td><td>")
                        .append(Html.num(p.measured(), 4)).append("</td><td>").append(Html.num(p.measured() / p.predicted(), 4))
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.2e", p.maxRelativeDeviation())).append("</td><td>")
                        .append(Html.num(p.measuredClipped(), 4)).append("</td><td>").append(Html.pct(p.errorClipped())).append("</td></tr>");
            b.append("</tbody></table>");
        }
        return TransferHtml.stage(out, dir, TransferHtml.tail(b, command, null), TransferHtml.json(command, version, null, json));
    }

    /** Predicted (dashed) and measured logit-gap change against eps. */
    static String gapChart(Entry e) {
        List<LinearExplanation.Point> ps = e.report().points();
        double[] x = new double[ps.size()], pred = new double[x.length], meas = new double[x.length], clip = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            LinearExplanation.Point p = ps.get(i);
            x[i] = p.eps();
            pred[i] = p.predicted();
            meas[i] = p.measured();
            clip[i] = p.measuredClipped();
        }
        // Predicted last, dashed on top: on a linear model it covers the measured line exactly.
        return XyChart.svg(e.name() + ": logit-gap change vs eps", "eps", List.of(new XyChart.Series("measured", x, meas, false),
                new XyChart.Series("measured, clipped to bounds", x, clip, false),
                new XyChart.Series("predicted eps*||g||_1", x, pred, true)), Double.NaN, v -> Html.num(v, 2));
    }

    /** Per architecture, measured and predicted change at the largest eps against the input dimension n. */
    static String dimensionChart(List<Entry> entries) {
        Map<String, List<Entry>> byArch = new LinkedHashMap<>();
        for (Entry e : entries) byArch.computeIfAbsent(e.architecture(), k -> new ArrayList<>()).add(e);
        List<XyChart.Series> series = new ArrayList<>();
        for (var g : byArch.entrySet()) {
            List<Entry> sorted = new ArrayList<>(g.getValue());
            sorted.sort((a, c) -> Integer.compare(a.report().inputSize(), c.report().inputSize()));
            int k = sorted.size();
            double[] n = new double[k], pred = new double[k], meas = new double[k];
            for (int i = 0; i < k; i++) {
                LinearExplanation.Point p = sorted.get(i).report().points().getLast();
                n[i] = sorted.get(i).report().inputSize();
                pred[i] = p.predicted();
                meas[i] = p.measured();
            }
            series.add(new XyChart.Series(g.getKey() + " measured", n, meas, false));
            series.add(new XyChart.Series(g.getKey() + " predicted", n, pred, true));
        }
        float eps = entries.getFirst().report().points().getLast().eps();
        return XyChart.svg("logit-gap change at eps " + eps + " vs input dimension n", "n", series, Double.NaN, v -> Html.num(v, 2));
    }

    private static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : "x").append(s[i]);
        return b.toString();
    }
}
