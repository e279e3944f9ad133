package dev.feint.report.internal;

import dev.feint.eval.audit.AuditReport;
import dev.feint.eval.audit.CheckResult;

/** The audit panel at the top of the report: the verdict, the audit's robust accuracy, and every check. */
final class AuditPanel {
    private AuditPanel() {}

    static String html(String model, AuditReport a) {
        StringBuilder b = new StringBuilder("<section class=\"audit\"><h2>Audit of ").append(Html.esc(model)).append(": <span class=\"v ")
                .append(a.verdict()).append("\">").append(a.verdict()).append("</span></h2><p>").append(a.examples()).append(" examples, ")
                .append(a.norm().id()).append(" eps ").append(a.eps()).append(": clean accuracy <b>").append(Html.pct(a.cleanAccuracy()))
                .append("</b>, robust accuracy <b>").append(Html.pct(a.robustAccuracy()))
                .append("</b> (worst case over every attack the audit ran; white-box only ").append(Html.pct(a.whiteBoxRobustAccuracy()))
                .append("). Checks after Carlini et al., arXiv:1902.06705, and AutoAttack's flags, arXiv:2003.01690.</p>")
                .append("<table class=\"sum audit\"><thead><tr><th>check</th><th>verdict</th><th>figure</th><th>threshold</th>")
                .append("<th>what it means</th></tr></thead><tbody>");
        for (CheckResult c : a.checks())
            b.append("<tr><td>").append(Html.esc(c.title())).append("</td><td class=\"v ").append(c.verdict()).append("\">").append(c.verdict())
                    .append("</td><td>").append(Html.esc(c.format(c.figure()))).append("</td><td>").append(Html.esc(c.format(c.threshold())))
                    .append("</td><td class=\"msg\">").append(Html.esc(c.measure())).append(": ").append(Html.esc(c.message())).append("</td></tr>");
        return b.append("</tbody></table></section>").toString();
    }
}
