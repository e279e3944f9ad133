package dev.feint.report.internal;

import dev.feint.eval.AttackOutcome;
import dev.feint.eval.ExampleResult;

import java.util.List;

/** Per-class robust accuracy of one attack run, and which classes its adversarial examples land in. */
final class ClassBreakdown {
    private ClassBreakdown() {}

    static String table(AttackOutcome o, List<String> classes) {
        int k = classes.size();
        int[] seen = new int[k], robust = new int[k];
        int[][] lands = new int[k][k];
        for (ExampleResult e : o.examples()) {
            if (e.label() < 0 || e.label() >= k) continue;
            seen[e.label()]++;
            if (e.robust()) robust[e.label()]++;
            else if (e.cleanCorrect() && e.adversarialPrediction() >= 0 && e.adversarialPrediction() < k)
                lands[e.label()][e.adversarialPrediction()]++;
        }
        StringBuilder b = new StringBuilder("<table class=\"cls\"><thead><tr><th>true class</th><th>n</th><th>robust</th>");
        for (String c : classes) b.append("<th class=\"rot\"><span>").append(Html.esc(c)).append("</span></th>");
        b.append("</tr></thead><tbody>");
        for (int i = 0; i < k; i++) {
            b.append("<tr><td>").append(Html.esc(classes.get(i))).append("</td><td>").append(seen[i]).append("</td><td>")
                    .append(Html.pct(seen[i] == 0 ? Double.NaN : (double) robust[i] / seen[i])).append("</td>");
            int rowMax = 1;
            for (int j = 0; j < k; j++) rowMax = Math.max(rowMax, lands[i][j]);
            for (int j = 0; j < k; j++) {
                int v = lands[i][j];
                double alpha = v == 0 ? 0 : 0.15 + 0.75 * v / rowMax;
                b.append(String.format(java.util.Locale.ROOT, "<td class=\"heat\" style=\"background:rgba(214,39,40,%.2f)\">%s</td>", alpha, v == 0 ? "" : Integer.toString(v)));
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }
}
