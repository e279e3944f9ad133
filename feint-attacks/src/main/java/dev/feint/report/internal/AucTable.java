package dev.feint.report.internal;

import dev.feint.eval.AucSummary;
import dev.feint.eval.RobustnessReport;
import dev.feint.eval.RocAuc;

import java.util.List;

/**
 * The AUC table of one model: macro and per-class one-vs-rest ROC-AUC on clean inputs and on each
 * attack's adversarial inputs, and the detection AUC of the model's confidence (clean positive).
 * Empty when the report has no AUCs.
 */
final class AucTable {
    private AucTable() {}

    static String html(RobustnessReport r, List<String> classes) {
        if (r.cleanAuc() == null) return "";
        int k = r.cleanAuc().perClass().length;
        StringBuilder b = new StringBuilder("<h3>ROC-AUC and detection AUC</h3><table class=\"sum\"><thead><tr><th>inputs</th><th>eps</th><th>macro</th>");
        for (int c = 0; c < k; c++) b.append("<th>").append(Html.esc(c < classes.size() ? classes.get(c) : Integer.toString(c))).append("</th>");
        b.append("<th>detection AUC</th></tr></thead><tbody>");
        row(b, "clean", "", r.cleanAuc(), null);
        for (RobustnessReport.Entry en : r.entries()) if (en.auc() != null) row(b, en.attack(), Float.toString(en.eps()), en.auc().classes(), en.auc());
        for (RobustnessReport.PixelEntry en : r.pixelEntries())
            if (en.auc() != null) row(b, en.attack() + " (" + en.pixels() + " px)", "&ndash;", en.auc().classes(), en.auc());
        return b.append("</tbody></table><p class=\"note\">One-vs-rest ROC-AUC of the softmax scores per true class, macro = mean over the "
                + "classes present. Detection AUC: how well the model's own confidence (max softmax) tells its correctly classified clean "
                + "inputs (positive) from the successful adversarial examples made from them; 0.5 is chance, below 0.5 the adversarial "
                + "examples are the more confident.</p>").toString();
    }

    private static void row(StringBuilder b, String name, String eps, RocAuc.OneVsRest r, AucSummary s) {
        b.append("<tr><td>").append(Html.esc(name)).append("</td><td>").append(eps).append("</td><td><b>").append(Html.num(r.macro(), 4)).append("</b></td>");
        for (double v : r.perClass()) b.append("<td>").append(Html.num(v, 4)).append("</td>");
        b.append("<td>").append(s == null ? "" : Html.num(s.detection(), 4) + " <span class=\"note\">(" + s.clean() + " / " + s.adversarial() + ")</span>")
                .append("</td></tr>");
    }
}
