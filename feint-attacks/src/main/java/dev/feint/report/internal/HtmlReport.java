package dev.feint.report.internal;

import dev.feint.attack.Norm;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackSummary;
import dev.feint.eval.RobustnessReport;
import dev.feint.eval.StageTable;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.internal.Outputs;
import dev.feint.io.Json;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The robustness report: one self-contained {@code index.html} (inline SVG charts, PNG data
 * URIs, no network) and the figures as {@code report.json} beside it. Several models may be
 * compared on one page.
 */
public final class HtmlReport {
    private final String command, version;
    private static final String PAGE = "index.html";
    private final long seed;
    private final List<ReportInput> models;

    /**
     * A report of one or more models.
     *
     * @param command the command line, shown in the footer
     * @param version Feint's version
     * @param seed the evaluation's seed
     * @param models one input per model compared
     */
    public HtmlReport(String command, String version, long seed, List<ReportInput> models) {
        this.command = command;
        this.version = version;
        this.seed = seed;
        this.models = List.copyOf(models);
    }

    /**
     * Stages the report as folder {@code dir} of {@code out}: built in a temporary folder, it
     * replaces {@code dir} (an earlier report) when {@code out} commits. Returns the page's path.
     *
     * @param out the outputs committed together
     * @param dir the report's folder
     * @return the page's path
     */
    public Path stage(Outputs out, Path dir) {
        out.folder(dir, this::write);
        return dir.resolve(PAGE);
    }

    /**
     * Writes the report into the folder {@code dir} now, one file at a time; returns the page's path.
     *
     * @param dir the folder
     * @return the page's path
     */
    public Path write(Path dir) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("feintVersion", version);
        json.put("seed", seed);
        json.put("created", Instant.now().toString());
        List<Object> ms = new ArrayList<>();
        for (ReportInput m : models) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", m.name());
            o.put("metadata", new LinkedHashMap<>(m.metadata()));
            o.put("dataset", m.data().describe());
            o.put("evaluation", m.report().toJson());
            if (m.audit() != null) o.put("audit", m.audit().toJson());
            ms.add(o);
        }
        json.put("models", ms);
        AtomicFiles.writeString(dir.resolve("report.json"), Json.writePretty(json) + "\n");
        Path page = dir.resolve(PAGE);
        AtomicFiles.writeString(page, html());
        return page;
    }

    String html() {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Feint robustness report</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>").append(Style.CSS).append("</style></head><body>");
        b.append("<h1>Feint robustness report</h1><p class=\"sub\">").append(models.size()).append(" model(s) &middot; ")
                .append(models.isEmpty() ? 0 : models.get(0).report().examples()).append(" examples &middot; Feint ").append(Html.esc(version))
                .append(" &middot; <a href=\"report.json\">report.json</a></p>");
        for (ReportInput m : models) if (m.audit() != null) b.append(AuditPanel.html(m.name(), m.audit()));
        b.append(overview());
        if (models.size() > 1) b.append("<h2>Models compared</h2>").append(comparisonChart());
        for (ReportInput m : models) b.append(modelSection(m));
        b.append("<h2>Reproduce</h2><pre class=\"cmd\">").append(Html.esc(command)).append("</pre><p>Feint ").append(Html.esc(version))
                .append(", seed ").append(seed).append(". Model metadata:</p>");
        for (ReportInput m : models)
            b.append("<details><summary>").append(Html.esc(m.name())).append("</summary><pre>")
                    .append(Html.esc(Json.writePretty(new LinkedHashMap<>(m.metadata())))).append("</pre></details>");
        return b.append("</body></html>\n").toString();
    }

    /** Clean and worst-case robust accuracy per model and eps: the headline. */
    private String overview() {
        StringBuilder b = new StringBuilder("<table class=\"sum\"><thead><tr><th>model</th><th>clean</th>");
        float[] eps = models.isEmpty() ? new float[0] : models.get(0).report().eps();
        for (float e : eps) b.append("<th>worst case, eps ").append(e).append("</th>");
        b.append("</tr></thead><tbody>");
        for (ReportInput m : models) {
            b.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(Html.pct(m.report().cleanAccuracy())).append("</td>");
            for (float e : eps) b.append("<td>").append(Html.pct(worst(m.report(), Norm.LINF, e))).append("</td>");
            b.append("</tr>");
        }
        return b.append("</tbody></table><p class=\"note\">Worst case: an example counts as robust only if every Linf attack failed on it.</p>").toString();
    }

    private static double worst(RobustnessReport r, Norm n, float e) { return r.worstCase(n, e); }

    private String comparisonChart() {
        List<EpsChart.Series> s = new ArrayList<>();
        for (ReportInput m : models) {
            float[] eps = m.report().eps();
            double[] acc = new double[eps.length];
            for (int i = 0; i < eps.length; i++) acc[i] = worst(m.report(), Norm.LINF, eps[i]);
            s.add(new EpsChart.Series(m.name(), eps, acc, false));
        }
        return EpsChart.svg("Worst-case Linf robust accuracy vs eps", s);
    }

    private String modelSection(ReportInput m) {
        RobustnessReport r = m.report();
        StringBuilder b = new StringBuilder("<section><h2>").append(Html.esc(m.name())).append("</h2>");
        b.append("<p>").append(Html.esc(m.metadata().getOrDefault("architecture.name", ""))).append(" clean accuracy <b>")
                .append(Html.pct(r.cleanAccuracy())).append("</b> on ").append(r.examples()).append(" examples of ")
                .append(Html.esc(m.data().name())).append(".")
                .append(m.metadata().containsKey("backend") ? " Queries answered by " + Html.esc(m.metadata().get("backend")) + "." : "")
                .append("</p>");
        var skipped = m.data().source().skipped();
        if (skipped.count() > 0)
            b.append("<p class=\"note\">").append(skipped.count()).append(" image file(s) that did not decode were left out (--skip-bad), first: ")
                    .append(Html.esc(String.join("; ", skipped.first()))).append("</p>");
        b.append(summaryTable(r, m.outcomes()));
        b.append(AucTable.html(r, m.data().classNames()));
        b.append(stageTables(m.outcomes()));
        List<EpsChart.Series> series = new ArrayList<>();
        for (String a : r.attacks()) {
            float[] eps = r.eps();
            double[] acc = new double[eps.length];
            for (int i = 0; i < eps.length; i++) acc[i] = robustAt(r, a, eps[i]);
            series.add(new EpsChart.Series(a, eps, acc, false));
        }
        for (Norm n : r.norms()) {
            double[] acc = new double[r.eps().length];
            for (int i = 0; i < acc.length; i++) acc[i] = r.worstCase(n, r.eps()[i]);
            series.add(new EpsChart.Series("worst case " + n.id(), r.eps(), acc, true));
        }
        b.append(EpsChart.svg(m.name() + ": robust accuracy vs eps", series));
        AttackOutcome strongest = null;
        float middle = r.eps().length == 0 ? Float.NaN : r.eps()[r.eps().length / 2];
        for (AttackOutcome o : m.outcomes()) {
            if (o.attack().minimumNorm() || o.attack().eps() == middle || o.attack().name().contains("pixel")) {
                if (strongest == null || rob(o) < rob(strongest)) strongest = o;
            }
            // Figures for one radius per attack (the middle one) keep the page readable.
            if (!o.attack().minimumNorm() && o.attack().eps() != middle && !o.attack().name().contains("pixel")) continue;
            boolean pixel = o.attack().name().contains("pixel");
            String eps = o.attack().minimumNorm() ? "minimum norm" : "eps " + o.attack().eps();
            b.append("<h3>").append(Html.esc(o.attack().name())).append(" (").append(Html.esc(eps)).append(")</h3>");
            b.append(pixel ? ExampleFigures.pixelMarks(o, m.data(), m.data().classNames(), 4)      // reads only the examples shown
                    : ExampleFigures.triptychs(o, m.data(), m.model(), m.data().classNames(), 4));
        }
        if (strongest != null) {
            b.append("<h3>Per class: ").append(Html.esc(strongest.attack().name()));
            if (!strongest.attack().minimumNorm()) b.append(" at eps ").append(strongest.attack().eps());
            b.append("</h3><p class=\"note\">Robust accuracy per true class, and where the adversarial examples land (rows: true class, columns: adversarial prediction).</p>")
                    .append(ClassBreakdown.table(strongest, m.data().classNames()));
        }
        return b.append("</section>").toString();
    }

    /**
     * AutoAttack's stage tables: robust accuracy after each stage, what it broke, its time. Read from
     * the runs, not the report's entries, so a run on a subset of the report's examples (the demo's) shows too.
     */
    private static String stageTables(List<AttackOutcome> runs) {
        StringBuilder b = new StringBuilder();
        for (AttackOutcome o : runs) {
            if (o.stages() == null) continue;
            b.append("<h3>").append(Html.esc(o.attack().name())).append(" stages (").append(o.attack().norm().id()).append(", eps ")
                    .append(o.attack().eps()).append(", ").append(o.examples().size()).append(" examples)</h3><table class=\"sum\"><thead><tr><th>stage</th><th>broken</th><th>robust acc. after</th><th>time</th></tr></thead><tbody>");
            for (StageTable.Row row : o.stages())
                b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td><b>%s</b></td><td>%s s</td></tr>", Html.esc(row.stage()),
                        row.broken(), Html.pct(row.robustAccuracy()), Html.num(row.seconds(), 1)));
            b.append("</tbody></table>");
        }
        return b.toString();
    }

    private static double rob(AttackOutcome o) { return o.summary().robustAccuracy(); }

    private static double robustAt(RobustnessReport r, String attack, float e) {
        for (RobustnessReport.Entry en : r.entries()) if (en.attack().equals(attack) && en.eps() == e) return en.summary().robustAccuracy();
        return Double.NaN;
    }

    private static String summaryTable(RobustnessReport r, List<AttackOutcome> outcomes) {
        StringBuilder b = new StringBuilder("<table class=\"sum\"><thead><tr><th>attack</th><th>norm</th><th>eps</th><th>robust acc.</th>"
                + "<th>success rate</th><th>mean adv. confidence</th><th>median Linf</th><th>median L2</th><th>median L0</th>"
                + "<th>queries / example</th><th>time</th></tr></thead><tbody>");
        for (RobustnessReport.Entry en : r.entries()) {
            AttackSummary s = en.summary();
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td><b>%s</b></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s s</td></tr>",
                    Html.esc(en.attack()), en.norm().id(), Float.toString(en.eps()), Html.pct(s.robustAccuracy()), Html.pct(s.successRate()),
                    Html.pct(s.meanConfidence()), Html.num(s.linf().median(), 3), Html.num(s.l2().median(), 3), Html.num(s.l0().median(), 0),
                    s.examples() == 0 ? "&ndash;" : Html.num((double) s.queries() / s.examples(), 0), Html.num(s.wallSeconds(), 1)));
        }
        for (AttackOutcome o : outcomes) {
            if (r.attacks().contains(o.attack().name())) continue; // already in the table
            AttackSummary s = o.summary();
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td><b>%s</b></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s s</td></tr>",
                    Html.esc(o.attack().name()), o.attack().name().contains("pixel") ? "l0" : o.attack().norm().id(),
                    o.attack().minimumNorm() ? "&ndash;" : Float.toString(o.attack().eps()), Html.pct(s.robustAccuracy()), Html.pct(s.successRate()),
                    Html.pct(s.meanConfidence()), Html.num(s.linf().median(), 3), Html.num(s.l2().median(), 3), Html.num(s.l0().median(), 0),
                    s.examples() == 0 ? "&ndash;" : Html.num((double) s.queries() / s.examples(), 0), Html.num(s.wallSeconds(), 1)));
        }
        for (Norm n : r.norms())
            for (float e : r.eps())
                b.append(String.format(Locale.ROOT, "<tr class=\"worst\"><td>worst case</td><td>%s</td><td>%s</td><td><b>%s</b></td><td colspan=\"7\"></td></tr>",
                        n.id(), Float.toString(e), Html.pct(r.worstCase(n, e))));
        return b.append("</tbody></table>").toString();
    }
}
