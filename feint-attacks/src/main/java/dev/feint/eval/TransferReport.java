package dev.feint.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a {@link TransferEvaluation}: clean accuracy of the surrogate and of each
 * target, then per attack and eps the surrogate's white-box robust accuracy and each target's
 * transfer robust accuracy ({@code transfer[t]} in the order of {@link #targets}). Renders itself
 * as JSON and Markdown.
 *
 * @param surrogate the surrogate's name
 * @param targets the targets' names
 * @param examples examples evaluated
 * @param eps the radii, ascending
 * @param surrogateClean the surrogate's clean accuracy
 * @param targetClean each target's clean accuracy
 * @param rows one row per attack and eps
 */
public record TransferReport(String surrogate, List<String> targets, int examples, float[] eps, double surrogateClean,
                             double[] targetClean, List<Row> rows) {
    /**
     * One attack at one eps; {@code robust[t][i]}: whether target t still classifies example i
     * correctly (for per-example checks such as the audit's), not written to JSON.
     *
     * @param attack the attack's name
     * @param eps the radius
     * @param parameters the attack's parameters
     * @param whiteBox the surrogate's robust accuracy
     * @param transfer each target's robust accuracy
     * @param robust per target and example, whether still classified correctly
     */
    public record Row(String attack, float eps, Map<String, Object> parameters, double whiteBox, double[] transfer, boolean[][] robust) {}

    /** Copies the lists, so that the record stays immutable. */
    public TransferReport {
        targets = List.copyOf(targets);
        rows = List.copyOf(rows);
    }

    /**
     * The row of attack at eps, or null.
     *
     * @param attack the attack's name
     * @param e the radius
     * @return the row, or null
     */
    public Row row(String attack, float e) {
        for (Row r : rows) if (r.attack().equals(attack) && r.eps() == e) return r;
        return null;
    }

    /** {@return the attack names, in run order} */
    public List<String> attacks() {
        List<String> a = new ArrayList<>();
        for (Row r : rows) if (!a.contains(r.attack())) a.add(r.attack());
        return a;
    }

    /** {@return the report as JSON} */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("surrogate", surrogate);
        o.put("examples", (long) examples);
        List<Object> e = new ArrayList<>();
        for (float v : eps) e.add((double) v);
        o.put("eps", e);
        o.put("surrogateCleanAccuracy", surrogateClean);
        List<Object> ts = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", targets.get(t));
            m.put("cleanAccuracy", targetClean[t]);
            ts.add(m);
        }
        o.put("targets", ts);
        List<Object> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", r.attack());
            m.put("eps", (double) r.eps());
            m.put("parameters", r.parameters());
            m.put("whiteBoxRobustAccuracy", r.whiteBox());
            Map<String, Object> tr = new LinkedHashMap<>();
            for (int t = 0; t < targets.size(); t++) tr.put(targets.get(t), r.transfer()[t]);
            m.put("transferRobustAccuracy", tr);
            rs.add(m);
        }
        o.put("rows", rs);
        return o;
    }

    /** {@return the report as Markdown tables} */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("## Transfer robustness\n\n");
        sb.append(examples).append(" examples crafted on ").append(surrogate).append(" (clean accuracy ")
                .append(RobustnessReport.pct(surrogateClean)).append("), untargeted; robust accuracy, white-box on the surrogate "
                        + "beside transfer to each target.\n\n");
        sb.append("| attack | eps | white-box ").append(surrogate).append(" |");
        for (String t : targets) sb.append(" transfer ").append(t).append(" |");
        sb.append("\n|---|---:|---:|");
        sb.append("---:|".repeat(targets.size())).append('\n');
        sb.append("| clean | 0 | ").append(RobustnessReport.pct(surrogateClean)).append(" |");
        for (double c : targetClean) sb.append(' ').append(RobustnessReport.pct(c)).append(" |");
        sb.append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.attack()).append(" | ").append(r.eps()).append(" | ").append(RobustnessReport.pct(r.whiteBox())).append(" |");
            for (double v : r.transfer()) sb.append(' ').append(RobustnessReport.pct(v)).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }
}
