package dev.feint.eval;

import dev.feint.attack.Norm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a {@link RobustnessEvaluation}: per attack and eps the metrics, per norm and
 * eps the worst case over attacks (an example is robust only if every attack of that norm
 * failed on it, as AutoAttack reports), and robust-accuracy-vs-eps curves. Pixel attacks sit apart
 * in {@code pixelEntries} (one per attack, with a worst case per pixel budget): they have no eps,
 * so {@link #entries}, {@link #norms}, {@link #attacks} and the curves never include them. Renders itself as
 * JSON ({@link #toJson}, schema in docs/FORMATS.md) and Markdown ({@link #toMarkdown}).
 *
 * @param examples examples evaluated
 * @param cleanAccuracy fraction classified correctly without attack
 * @param eps the radii, ascending
 * @param targeted whether the runs were targeted
 * @param entries one entry per attack and eps (pixel attacks excluded)
 * @param pixelEntries one entry per pixel attack
 * @param cleanAuc the one-vs-rest ROC-AUC of the clean scores, or null when not measured
 */
public record RobustnessReport(int examples, double cleanAccuracy, float[] eps, boolean targeted, List<Entry> entries,
                               List<PixelEntry> pixelEntries, RocAuc.OneVsRest cleanAuc) {
    /**
     * One attack at one eps; {@code robust} holds the per-example flags the worst case combines;
     * {@code stages} is a composite attack's stage table (null otherwise); {@code auc} its AUCs
     * (null when not measured).
     *
     * @param attack the attack's name
     * @param norm its norm
     * @param eps the radius
     * @param parameters the attack's parameters, as reports list them
     * @param summary the metrics at this eps
     * @param robust per example, whether the attack failed on it
     * @param stages a composite attack's stage table, or null
     * @param auc the AUCs, or null when not measured
     */
    public record Entry(String attack, Norm norm, float eps, Map<String, Object> parameters, AttackSummary summary,
                        boolean[] robust, List<StageTable.Row> stages, AucSummary auc) {
        /**
         * An entry of a single attack without AUCs.
         *
         * @param attack the attack's name
         * @param norm its norm
         * @param eps the radius
         * @param parameters the attack's parameters
         * @param summary the metrics at this eps
         * @param robust per example, whether the attack failed on it
         */
        public Entry(String attack, Norm norm, float eps, Map<String, Object> parameters, AttackSummary summary, boolean[] robust) {
            this(attack, norm, eps, parameters, summary, robust, null, null);
        }
    }

    /**
     * One pixel attack (run once: its budget is {@code pixels} changed pixels, not an eps); {@code auc} may be null.
     *
     * @param attack the attack's name
     * @param pixels its pixel budget
     * @param parameters the attack's parameters, as reports list them
     * @param summary its metrics
     * @param robust per example, whether the attack failed on it
     * @param auc the AUCs, or null when not measured
     */
    public record PixelEntry(String attack, int pixels, Map<String, Object> parameters, AttackSummary summary,
                             boolean[] robust, AucSummary auc) {}

    /** Copies the lists, so that the report stays immutable. */
    public RobustnessReport {
        entries = List.copyOf(entries);
        pixelEntries = List.copyOf(pixelEntries);
    }

    /**
     * A report without pixel attacks and AUCs (the JSON and Markdown then have none).
     *
     * @param examples examples evaluated
     * @param cleanAccuracy fraction classified correctly without attack
     * @param eps the radii, ascending
     * @param targeted whether the runs were targeted
     * @param entries one entry per attack and eps
     */
    public RobustnessReport(int examples, double cleanAccuracy, float[] eps, boolean targeted, List<Entry> entries) {
        this(examples, cleanAccuracy, eps, targeted, entries, List.of(), null);
    }

    /**
     * Robust accuracy of the per-example worst case over the pixel attacks with a budget of at
     * most {@code pixels} (a success with fewer pixels is a success within more); NaN if none.
     *
     * @param pixels the pixel budget
     * @return the robust accuracy, or NaN when no pixel attack has that budget or less
     */
    public double worstCasePixels(int pixels) {
        return robustToAll(pixelEntries.stream().filter(en -> en.pixels() <= pixels).map(PixelEntry::robust).toList());
    }

    /** {@return the pixel budgets of the pixel attacks, ascending} */
    public List<Integer> pixelBudgets() {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (PixelEntry e : pixelEntries) s.add(e.pixels());
        return List.copyOf(s);
    }

    /**
     * Robust accuracy of the per-example worst case over the attacks of {@code norm} at eps.
     *
     * @param norm the norm
     * @param e the radius
     * @return the robust accuracy, or NaN when no attack of that norm ran at that eps
     */
    public double worstCase(Norm norm, float e) {
        return robustToAll(entries.stream().filter(en -> en.norm() == norm && en.eps() == e).map(Entry::robust).toList());
    }

    /** Fraction of examples robust to every one of the attacks; NaN if there are none. */
    private static double robustToAll(List<boolean[]> robust) {
        if (robust.isEmpty() || robust.get(0).length == 0) return Double.NaN;
        boolean[] all = robust.get(0).clone();
        for (boolean[] r : robust) for (int i = 0; i < all.length; i++) all[i] &= r[i];
        int c = 0;
        for (boolean b : all) if (b) c++;
        return (double) c / all.length;
    }

    /** {@return the norms that have at least one attack, in first-seen order} */
    public List<Norm> norms() {
        List<Norm> out = new ArrayList<>();
        for (Entry e : entries) if (!out.contains(e.norm())) out.add(e.norm());
        return out;
    }

    /** {@return attack names in first-seen order} */
    public List<String> attacks() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) if (!out.contains(e.attack())) out.add(e.attack());
        return out;
    }

    private Entry find(String attack, float e) {
        for (Entry en : entries) if (en.attack().equals(attack) && en.eps() == e) return en;
        return null;
    }

    /** {@return the report as JSON, in the schema of docs/FORMATS.md} */
    public Map<String, Object> toJson() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("examples", (long) examples);
        m.put("cleanAccuracy", cleanAccuracy);
        m.put("targeted", targeted);
        List<Object> es = new ArrayList<>();
        for (float e : eps) es.add((double) e);
        m.put("eps", es);
        if (cleanAuc != null) m.put("cleanRocAuc", cleanAuc.toMap());
        List<Object> results = new ArrayList<>();
        for (Entry en : entries) {
            LinkedHashMap<String, Object> r = new LinkedHashMap<>();
            r.put("attack", en.attack());
            r.put("norm", en.norm().id());
            r.put("eps", (double) en.eps());
            r.put("parameters", en.parameters());
            r.putAll(en.summary().toMap());
            if (en.stages() != null) r.put("stages", StageTable.toJson(en.stages()));
            if (en.auc() != null) r.putAll(en.auc().toMap());
            results.add(r);
        }
        m.put("results", results);
        List<Object> worst = new ArrayList<>(), curves = new ArrayList<>();
        for (Norm nm : norms()) {
            List<Object> pts = new ArrayList<>();
            for (float e : eps) {
                LinkedHashMap<String, Object> w = new LinkedHashMap<>();
                w.put("norm", nm.id());
                w.put("eps", (double) e);
                w.put("robustAccuracy", worstCase(nm, e));
                worst.add(w);
                pts.add(point(e, worstCase(nm, e)));
            }
            curves.add(curve("worst-case", nm, pts));
        }
        for (String a : attacks()) {
            List<Object> pts = new ArrayList<>();
            Norm nm = null;
            for (float e : eps) {
                Entry en = find(a, e);
                if (en == null) continue;
                nm = en.norm();
                pts.add(point(e, en.summary().robustAccuracy()));
            }
            curves.add(curve(a, nm, pts));
        }
        m.put("worstCase", worst);
        m.put("curves", curves);
        List<Object> pixel = new ArrayList<>(), pixelWorst = new ArrayList<>();
        for (PixelEntry en : pixelEntries) {
            LinkedHashMap<String, Object> r = new LinkedHashMap<>();
            r.put("attack", en.attack());
            r.put("norm", Norm.L0.id());
            r.put("pixels", (long) en.pixels());
            r.put("parameters", en.parameters());
            r.putAll(en.summary().toMap());
            if (en.auc() != null) r.putAll(en.auc().toMap());
            pixel.add(r);
        }
        for (int d : pixelBudgets()) {
            LinkedHashMap<String, Object> w = new LinkedHashMap<>();
            w.put("pixels", (long) d);
            w.put("robustAccuracy", worstCasePixels(d));
            pixelWorst.add(w);
        }
        m.put("pixelAttacks", pixel);
        m.put("pixelWorstCase", pixelWorst);
        return m;
    }

    private static Map<String, Object> point(float e, double acc) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        p.put("eps", (double) e);
        p.put("robustAccuracy", acc);
        return p;
    }

    private static Map<String, Object> curve(String name, Norm nm, List<Object> pts) {
        LinkedHashMap<String, Object> c = new LinkedHashMap<>();
        c.put("attack", name);
        c.put("norm", nm == null ? null : nm.id());
        c.put("points", pts);
        return c;
    }

    /**
     * A robust-accuracy table (attacks x eps, worst case per norm) and a detail table for the
     * eps-bounded attacks, then one table for the pixel attacks (per pixel budget).
     *
     * @return the Markdown text
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## Robustness\n\n").append(examples).append(" examples, clean accuracy ").append(pct(cleanAccuracy))
                .append(targeted ? ", targeted attacks" : ", untargeted attacks").append(".\n\n");
        if (!entries.isEmpty()) epsTables(sb);
        if (!pixelEntries.isEmpty()) pixelTable(sb);
        if (cleanAuc != null) aucTable(sb);
        for (Entry en : entries)
            if (en.stages() != null)
                sb.append("\n").append(en.attack()).append(" stages (").append(en.norm().id()).append(", eps ").append(Float.toString(en.eps()))
                        .append("):\n\n").append(StageTable.toMarkdown(en.stages()));
        return sb.toString();
    }

    private void epsTables(StringBuilder sb) {
        sb.append("Robust accuracy:\n\n| attack | norm |");
        for (float e : eps) sb.append(" eps ").append(Float.toString(e)).append(" |");
        sb.append("\n|---|---|").append("---:|".repeat(eps.length)).append('\n');
        for (String a : attacks()) {
            Entry first = entries.stream().filter(en -> en.attack().equals(a)).findFirst().orElseThrow();
            sb.append("| ").append(a).append(" | ").append(first.norm().id()).append(" |");
            for (float e : eps) {
                Entry en = find(a, e);
                sb.append(' ').append(en == null ? "" : pct(en.summary().robustAccuracy())).append(" |");
            }
            sb.append('\n');
        }
        for (Norm nm : norms()) {
            sb.append("| **worst case** | ").append(nm.id()).append(" |");
            for (float e : eps) sb.append(" **").append(pct(worstCase(nm, e))).append("** |");
            sb.append('\n');
        }
        sb.append("\nDetails:\n\n| attack | eps | robust acc. | success rate | mean adv. confidence | median Linf | median L2 "
                + "| queries to success (mean / median) | gradient evals | time (s) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Entry en : entries) {
            AttackSummary s = en.summary();
            sb.append("| ").append(en.attack()).append(" | ").append(Float.toString(en.eps())).append(" | ").append(pct(s.robustAccuracy()))
                    .append(" | ").append(pct(s.successRate())).append(" | ").append(pct(s.meanConfidence())).append(" | ")
                    .append(num(s.linf().median())).append(" | ").append(num(s.l2().median())).append(" | ")
                    .append(queries(s)).append(" | ").append(s.gradientEvaluations()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", s.wallSeconds())).append(" |\n");
        }
    }

    private void pixelTable(StringBuilder sb) {
        sb.append(entries.isEmpty() ? "" : "\n").append("Pixel attacks (at most `pixels` pixels changed, all channels of a pixel "
                + "counting once; no eps, so each runs once):\n\n| attack | pixels | robust acc. | success rate "
                + "| mean adv. confidence | median L0 (pixels) | queries to success (mean / median) | queries | time (s) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PixelEntry en : pixelEntries) {
            AttackSummary s = en.summary();
            sb.append("| ").append(en.attack()).append(" | ").append(en.pixels()).append(" | ").append(pct(s.robustAccuracy()))
                    .append(" | ").append(pct(s.successRate())).append(" | ").append(pct(s.meanConfidence())).append(" | ")
                    .append(count(s.pixelL0() == null ? Double.NaN : s.pixelL0().median())).append(" | ").append(queries(s))
                    .append(" | ").append(count(s.queries())).append(" | ").append(String.format(Locale.ROOT, "%.2f", s.wallSeconds()))
                    .append(" |\n");
        }
        for (int d : pixelBudgets())
            sb.append("| **worst case** | ").append(d).append(" | **").append(pct(worstCasePixels(d))).append("** |")
                    .append(" |".repeat(6)).append('\n');
    }

    /** Macro and per-class one-vs-rest ROC-AUC on clean and adversarial inputs, and the detection AUC. */
    private void aucTable(StringBuilder sb) {
        int k = cleanAuc.perClass().length;
        sb.append("\nROC-AUC (one-vs-rest, softmax scores; macro over the classes present) and detection AUC (max softmax, "
                + "clean correct inputs positive vs successful adversarial examples):\n\n| inputs | eps | macro |");
        for (int c = 0; c < k; c++) sb.append(' ').append(c).append(" |");
        sb.append(" detection AUC |\n|---|---:|---:|").append("---:|".repeat(k)).append("---:|\n");
        aucRow(sb, "clean", "", cleanAuc, null);
        for (Entry en : entries) if (en.auc() != null) aucRow(sb, en.attack(), Float.toString(en.eps()), en.auc().classes(), en.auc());
        for (PixelEntry en : pixelEntries)
            if (en.auc() != null) aucRow(sb, en.attack() + " (" + en.pixels() + " px)", "", en.auc().classes(), en.auc());
        if (!cleanAuc.skipped().isEmpty())
            sb.append("\nClasses without both positive and negative examples (left out of the macro): ").append(cleanAuc.skipped()).append(".\n");
    }

    private static void aucRow(StringBuilder sb, String name, String eps, RocAuc.OneVsRest r, AucSummary s) {
        sb.append("| ").append(name).append(" | ").append(eps).append(" | **").append(auc(r.macro())).append("** |");
        for (double v : r.perClass()) sb.append(' ').append(auc(v)).append(" |");
        sb.append(' ').append(s == null ? "" : auc(s.detection())).append(" |\n");
    }

    static String auc(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v); }

    private static String queries(AttackSummary s) {
        Stats q = s.queriesToSuccess();
        return q.count() == 0 ? "n/a" : count(q.mean()) + " / " + count(q.median());
    }

    /** A count or a mean of counts: whole numbers without decimals, others with one. */
    static String count(double v) {
        if (Double.isNaN(v)) return "n/a";
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    static String pct(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v); }

    static String num(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v); }
}
