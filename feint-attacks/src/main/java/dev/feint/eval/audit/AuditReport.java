package dev.feint.eval.audit;

import dev.feint.attack.Norm;
import dev.feint.eval.RobustnessReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The result of an {@link Audit}: every check's verdict and figures, the summary verdict (the
 * worst check), and the audit's own robust accuracy at eps, the per-example worst case over every
 * attack it ran there (white-box, black-box, transfer and noise; NaN if the checks chosen ran none). Renders as JSON
 * ({@link #toJson}) and Markdown ({@link #toMarkdown}); {@link #evaluation} gives the attack runs
 * as a {@link RobustnessReport} for the HTML report.
 *
 * @param examples examples audited
 * @param norm the norm
 * @param eps the radius
 * @param cleanAccuracy fraction classified correctly without attack
 * @param robustAccuracy the worst case over every run at eps (NaN when none ran)
 * @param whiteBoxRobustAccuracy the worst case over the white-box runs at eps
 * @param checks every check's result, in run order
 * @param runs every run, in the order they ran
 */
public record AuditReport(int examples, Norm norm, float eps, double cleanAccuracy, double robustAccuracy,
                          double whiteBoxRobustAccuracy, List<CheckResult> checks, List<AuditRun.Run> runs) {
    /** Copies the lists, so that the report stays immutable. */
    public AuditReport {
        checks = List.copyOf(checks);
        runs = List.copyOf(runs);
    }

    /** {@return the worst verdict of any check (PASS when there are none)} */
    public Verdict verdict() {
        Verdict v = Verdict.PASS;
        for (CheckResult c : checks) v = v.and(c.verdict());
        return v;
    }

    /**
     * The check with this id, or null.
     *
     * @param id the check's id
     * @return its result, or null
     */
    public CheckResult check(String id) {
        for (CheckResult c : checks) if (c.id().equals(id)) return c;
        return null;
    }

    /**
     * How many checks ended with v.
     *
     * @param v the verdict
     * @return the number of checks with it
     */
    public int count(Verdict v) {
        int n = 0;
        for (CheckResult c : checks) if (c.verdict() == v) n++;
        return n;
    }

    /** {@return one line: the verdict and the counts} */
    public String headline() {
        return String.format(Locale.ROOT, "audit %s: %d pass, %d warn, %d fail; robust accuracy %s at %s eps %s (clean %s, %d examples)",
                verdict(), count(Verdict.PASS), count(Verdict.WARN), count(Verdict.FAIL), Grade.pct(robustAccuracy), norm.id(), eps,
                Grade.pct(cleanAccuracy), examples);
    }

    /** {@return the report as JSON: the verdict, the figures, every check and run} */
    public Map<String, Object> toJson() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict().name());
        m.put("examples", (long) examples);
        m.put("norm", norm.id());
        m.put("eps", (double) eps);
        m.put("cleanAccuracy", cleanAccuracy);
        m.put("robustAccuracy", robustAccuracy);
        m.put("whiteBoxRobustAccuracy", whiteBoxRobustAccuracy);
        List<Object> cs = new ArrayList<>();
        for (CheckResult c : checks) cs.add(c.toMap());
        m.put("checks", cs);
        List<Object> rs = new ArrayList<>();
        for (AuditRun.Run r : runs) {
            LinkedHashMap<String, Object> o = new LinkedHashMap<>();
            o.put("label", r.label());
            o.put("kind", r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            o.put("eps", (double) r.eps());
            o.put("robustAccuracy", r.robustAccuracy());
            o.put("parameters", r.outcome() == null ? null : r.outcome().attack().parameters());
            o.put("seconds", r.seconds());
            rs.add(o);
        }
        m.put("runs", rs);
        return m;
    }

    /** {@return a verdict line, the checks table, then the runs} */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## Audit: ").append(verdict()).append("\n\n").append(examples).append(" examples, ").append(norm.id()).append(" eps ")
                .append(eps).append(": clean accuracy ").append(Grade.pct(cleanAccuracy)).append(", robust accuracy ")
                .append(Grade.pct(robustAccuracy)).append(" (worst case over every attack below; white-box only ")
                .append(Grade.pct(whiteBoxRobustAccuracy)).append(").\n\n| check | verdict | figure | threshold | what it means |\n|---|---|---:|---:|---|\n");
        for (CheckResult c : checks)
            sb.append("| ").append(c.title()).append(" | **").append(c.verdict()).append("** | ").append(c.format(c.figure()))
                    .append(" | ").append(c.format(c.threshold())).append(" | ").append(c.measure()).append(": ")
                    .append(c.message()).append(" |\n");
        sb.append("\nAttack runs:\n\n| run | kind | eps | robust acc. | time (s) |\n|---|---|---:|---:|---:|\n");
        for (AuditRun.Run r : runs)
            sb.append("| ").append(r.label()).append(" | ").append(r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')).append(" | ")
                    .append(r.eps()).append(" | ").append(Grade.pct(r.robustAccuracy())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds())).append(" |\n");
        return sb.toString();
    }

    /** {@return the attack runs (those that are attacks) as a robustness report over the radii they ran at, labels as attack names} */
    public RobustnessReport evaluation() {
        TreeSet<Float> radii = new TreeSet<>();
        List<RobustnessReport.Entry> entries = new ArrayList<>();
        for (AuditRun.Run r : runs) {
            if (r.outcome() == null) continue;
            radii.add(r.eps());
            entries.add(new RobustnessReport.Entry(r.label(), r.outcome().attack().norm(), r.eps(), r.outcome().attack().parameters(),
                    r.outcome().summaryAt(r.eps()), r.robust()));
        }
        float[] eps = new float[radii.size()];
        int i = 0;
        for (float e : radii) eps[i++] = e;
        return new RobustnessReport(examples, cleanAccuracy, eps, false, entries);
    }
}
