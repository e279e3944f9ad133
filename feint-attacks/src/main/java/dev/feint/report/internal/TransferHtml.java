package dev.feint.report.internal;

import dev.feint.eval.TransferMatrix;
import dev.feint.eval.TransferReport;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.internal.Outputs;
import dev.feint.io.Json;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML pages of a transfer evaluation ({@code feint eval --surrogate}) and of a transfer
 * matrix ({@code feint transfer}): tables whose cells are shaded by robust accuracy (red where
 * the attack transfers, green where it does not), beside report.json. Both files are rendered
 * before either is written.
 */
public final class TransferHtml {
    private TransferHtml() {}

    /**
     * Writes report.json and index.html for one surrogate's transfer report; returns the page.
     *
     * @param out the outputs committed together
     * @param dir the report's folder
     * @param command the command line
     * @param version Feint's version
     * @param seed the evaluation's seed
     * @param r the report
     * @return the page's path
     */
    public static Path stage(Outputs out, Path dir, String command, String version, long seed, TransferReport r) {
        StringBuilder b = head("Feint transfer report", r.examples() + " examples crafted on " + Html.esc(r.surrogate()), version);
        b.append("<h2>Robust accuracy: white-box on the surrogate, transfer to the targets</h2><table><thead><tr><th>attack</th>"
                + "<th>eps</th><th>white-box ").append(Html.esc(r.surrogate())).append("</th>");
        for (String t : r.targets()) b.append("<th>transfer ").append(Html.esc(t)).append("</th>");
        b.append("</tr></thead><tbody><tr><td>clean</td><td>0</td>").append(heat(r.surrogateClean()));
        for (double c : r.targetClean()) b.append(heat(c));
        b.append("</tr>");
        for (TransferReport.Row row : r.rows()) {
            b.append("<tr><td>").append(Html.esc(row.attack())).append("</td><td>").append(row.eps()).append("</td>").append(heat(row.whiteBox()));
            for (double v : row.transfer()) b.append(heat(v));
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        return stage(out, dir, tail(b, command, seed), json(command, version, seed, r.toJson()));
    }

    /**
     * Writes report.json and index.html for a transfer matrix: one heat table per attack and eps.
     *
     * @param out the outputs committed together
     * @param dir the report's folder
     * @param command the command line
     * @param version Feint's version
     * @param seed the evaluation's seed
     * @param m the matrix
     * @return the page's path
     */
    public static Path stage(Outputs out, Path dir, String command, String version, long seed, TransferMatrix.Report m) {
        List<String> names = m.models();
        StringBuilder b = head("Feint transfer matrix", m.bySource().getFirst().examples() + " examples, " + names.size() + " models", version);
        b.append("<p class=\"note\">Robust accuracy of the column's model on examples crafted on the row's model; the diagonal is "
                + "white-box. Lower is a stronger transfer.</p><h2>Clean accuracy</h2><table><thead><tr>");
        for (String n : names) b.append("<th>").append(Html.esc(n)).append("</th>");
        b.append("</tr></thead><tbody><tr>");
        for (double c : m.clean()) b.append(heat(c));
        b.append("</tr></tbody></table>");
        for (String a : m.attacks())
            for (float e : m.eps()) {
                b.append("<h2>").append(Html.esc(a)).append(", eps ").append(e).append("</h2><table class=\"cls\"><thead><tr>"
                        + "<th>crafted on &darr; / evaluated on &rarr;</th>");
                for (String n : names) b.append("<th>").append(Html.esc(n)).append("</th>");
                b.append("</tr></thead><tbody>");
                double[][] r = m.robust(a, e);
                for (int s = 0; s < r.length; s++) {
                    b.append("<tr><td>").append(Html.esc(names.get(s))).append("</td>");
                    for (double v : r[s]) b.append(heat(v));
                    b.append("</tr>");
                }
                b.append("</tbody></table>");
            }
        return stage(out, dir, tail(b, command, seed), json(command, version, seed, m.toJson()));
    }

    /** A cell shaded from red (0) to green (1). */
    static String heat(double v) {
        if (Double.isNaN(v)) return "<td>" + Html.pct(v) + "</td>";
        return String.format(Locale.ROOT, "<td class=\"heat\" style=\"background:hsl(%d,70%%,82%%)\">%s</td>",
                (int) Math.round(120 * Math.max(0, Math.min(1, v))), Html.pct(v));
    }

    static StringBuilder head(String title, String sub, String version) {
        StringBuilder b = new StringBuilder(1 << 14);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(title).append("</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>").append(Style.CSS)
                .append("</style></head><body><h1>").append(title).append("</h1><p class=\"sub\">").append(sub)
                .append(" &middot; Feint ").append(Html.esc(version)).append(" &middot; <a href=\"report.json\">report.json</a></p>");
        return b;
    }

    /** The reproduce section and the end of the page; {@code seed} null for a deterministic command. */
    static String tail(StringBuilder b, String command, Long seed) {
        b.append("<h2>Reproduce</h2><pre class=\"cmd\">").append(Html.esc(command)).append("</pre>");
        if (seed != null) b.append("<p>Seed ").append(seed).append(".</p>");
        return b.append("</body></html>\n").toString();
    }

    static String json(String command, String version, Long seed, Map<String, Object> body) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command", command);
        o.put("feintVersion", version);
        if (seed != null) o.put("seed", seed);
        o.put("created", Instant.now().toString());
        o.putAll(body);
        return Json.writePretty(o) + "\n";
    }

    /** The folder staged in {@code out}: it replaces {@code dir} when {@code out} commits. */
    static Path stage(Outputs out, Path dir, String html, String json) {
        out.folder(dir, tmp -> {
            AtomicFiles.writeString(tmp.resolve("report.json"), json);
            AtomicFiles.writeString(tmp.resolve("index.html"), html);
        });
        return dir.resolve("index.html");
    }
}
