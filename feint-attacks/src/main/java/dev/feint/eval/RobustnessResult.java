package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.eval.audit.Audit;
import dev.feint.eval.audit.AuditBudget;
import dev.feint.eval.audit.AuditReport;
import dev.feint.model.DifferentiableModel;
import dev.feint.report.internal.HtmlReport;
import dev.feint.report.internal.ReportInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@link Evaluation} found: clean accuracy, each attack's robust accuracy, the
 * per-example worst case over the attacks, the worst classes, the audit when one ran; as JSON
 * ({@link #toJson}, the {@code robustness} object of {@code feint eval --json}), Markdown, or the
 * HTML report of {@code feint eval --report} ({@link #writeReport}).
 *
 * <pre>{@code
 * RobustnessResult r = Evaluation.of(model).on(data, 200).attack(Attacks.pgd().eps(0.1)).run();
 * double pgd = r.robustAccuracy("pgd");                 // at its only eps; robustAccuracy("pgd", 0.1) names it
 * double worst = r.worstCase();                         // robust to every attack run
 * for (RobustnessResult.ClassFigure c : r.worstClasses(3)) System.out.println(c);
 * Path page = r.writeReport(Path.of("target/robustness"));
 * }</pre>
 */
public final class RobustnessResult {
    private final Evaluation.Named model;
    private final Dataset data;
    private final RobustnessReport report;
    private final List<AttackOutcome> outcomes;
    private final AuditReport audit;
    private final long seed;
    private final int batchSize;

    RobustnessResult(Evaluation.Named model, Dataset data, RobustnessReport report, List<AttackOutcome> outcomes, AuditReport audit,
                     long seed, int batchSize) {
        this.batchSize = batchSize;
        this.model = model;
        this.data = data;
        this.report = report;
        this.outcomes = List.copyOf(outcomes);
        this.audit = audit;
        this.seed = seed;
    }

    /**
     * One class's robust accuracy under the worst case.
     *
     * @param name the class name
     * @param examples its examples in the evaluation
     * @param robustAccuracy the fraction of them robust to every attack
     */
    public record ClassFigure(String name, int examples, double robustAccuracy) {
        /** {@return e.g. {@code Shirt 12.5% (of 40)}} */
        @Override public String toString() {
            return name + " " + RobustnessReport.pct(robustAccuracy) + " (of " + examples + ")";
        }
    }

    /** {@return the name of the model evaluated (its file name, or "model")} */
    public String modelName() { return model.name(); }

    /** {@return the number of examples evaluated} */
    public int examples() { return report.examples(); }

    /** {@return the fraction of examples the model classifies correctly without attack} */
    public double cleanAccuracy() { return report.cleanAccuracy(); }

    /**
     * The robust accuracy under {@code attack} at the only eps it ran at.
     *
     * @param attack a registry name, e.g. {@code "pgd"}
     * @return the fraction of examples still correctly classified after the attack
     * @throws FeintException when the attack did not run, or ran at several eps (then give one)
     */
    public double robustAccuracy(String attack) {
        List<Float> radii = new ArrayList<>();
        for (RobustnessReport.Entry e : report.entries()) if (e.attack().equals(attack)) radii.add(e.eps());
        for (RobustnessReport.PixelEntry e : report.pixelEntries()) if (e.attack().equals(attack)) return e.summary().robustAccuracy();
        if (radii.size() == 1) return robustAccuracy(attack, radii.get(0));
        if (radii.isEmpty()) throw new FeintException("result: attack '" + attack + "' did not run (ran: " + ran() + ")");
        throw new FeintException("result: attack '" + attack + "' ran at eps " + radii + ": give one, robustAccuracy(\"" + attack + "\", eps)");
    }

    /**
     * The robust accuracy under {@code attack} at {@code eps}.
     *
     * @param attack a registry name
     * @param eps a radius it ran at (a minimum-norm attack: a radius it was thresholded at)
     * @return the fraction of examples still correctly classified
     * @throws FeintException when the attack did not run at that eps, listing what ran
     */
    public double robustAccuracy(String attack, double eps) {
        for (RobustnessReport.Entry e : report.entries())
            if (e.attack().equals(attack) && e.eps() == (float) eps) return e.summary().robustAccuracy();
        throw new FeintException("result: attack '" + attack + "' did not run at eps " + (float) eps + " (ran: " + ran() + ")");
    }

    /** {@return the fraction of examples robust to every attack run, at every eps (the per-example worst case)} */
    public double worstCase() {
        boolean[] all = robustToAll();
        int c = 0;
        for (boolean b : all) if (b) c++;
        return all.length == 0 ? Double.NaN : (double) c / all.length;
    }

    /**
     * The per-example worst case over the attacks of one norm at one eps (as AutoAttack reports it).
     *
     * @param norm the norm
     * @param eps the radius
     * @return the fraction robust to every attack of that norm at that eps; NaN when none ran
     */
    public double worstCase(Norm norm, double eps) { return report.worstCase(norm, (float) eps); }

    /**
     * The classes with the lowest robust accuracy under the worst case, lowest first (classes without examples left out).
     *
     * @param k at most this many
     * @return the classes and their figures
     */
    public List<ClassFigure> worstClasses(int k) {
        boolean[] all = robustToAll();
        int[] labels = data.labels();
        int classes = model.classNames().size();
        int[] seen = new int[classes], robust = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            seen[labels[i]]++;
            if (all[i]) robust[labels[i]]++;
        }
        List<ClassFigure> out = new ArrayList<>();
        for (int c = 0; c < classes; c++)
            if (seen[c] > 0) out.add(new ClassFigure(model.classNames().get(c), seen[c], (double) robust[c] / seen[c]));
        out.sort(Comparator.comparingDouble(ClassFigure::robustAccuracy));
        return List.copyOf(out.subList(0, Math.min(Math.max(k, 0), out.size())));
    }

    /** {@return the audit of the figure, when {@link Evaluation#audit()} or {@link #audited} made one} */
    public Optional<AuditReport> audit() { return Optional.ofNullable(audit); }

    /**
     * This result with the audit of its figure (the checks of {@code feint audit}) at the first
     * fixed-eps attack's norm and eps, on the same model, data and seed.
     *
     * <pre>{@code
     * RobustnessResult checked = r.audited(AuditBudget.DEFAULT);
     * Verdict v = checked.audit().orElseThrow().verdict();
     * }</pre>
     *
     * @param budget the audit's attack budget
     * @return a new result holding the audit
     * @throws FeintException when no fixed-eps attack ran or the model gives no input gradients
     */
    public RobustnessResult audited(AuditBudget budget) {
        dev.feint.attack.Attack first = outcomes.stream().map(AttackOutcome::attack)
                .filter(a -> !a.minimumNorm() && !(a instanceof dev.feint.attack.blackbox.PixelAttack))
                .findFirst().orElseThrow(() -> new FeintException("audit: needs a fixed-eps attack (its norm and eps are audited), ran: " + ran()));
        if (!(model.model() instanceof DifferentiableModel dm))
            throw new FeintException("audit: " + model.name() + " gives no input gradients (a DifferentiableModel is needed)");
        AuditReport a = Audit.builder().model(dm).data(data).norm(first.norm()).eps(first.eps()).seed(seed).batchSize(batchSize)
                .budget(budget).build().run();
        return new RobustnessResult(model, data, report, outcomes, a, seed, batchSize);
    }

    /** {@return every figure per attack and eps, the worst case per norm, the curves (what the JSON holds)} */
    public RobustnessReport report() { return report; }

    /** {@return every attack run's full outcome: adversarial inputs, per-example results} */
    public List<AttackOutcome> outcomes() { return outcomes; }

    /** {@return {@code {"model", "data", "robustness": ..., "worstCase", "audit"?}}; schema in docs/FORMATS.md} */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.name());
        o.put("data", data.name());
        o.put("examples", (long) examples());
        o.put("robustness", report.toJson());
        o.put("worstCase", worstCase());
        if (audit != null) o.put("audit", audit.toJson());
        return o;
    }

    /** {@return the robustness tables as Markdown, the audit's first when one ran} */
    public String toMarkdown() { return (audit != null ? audit.toMarkdown() + "\n" : "") + report.toMarkdown(); }

    /**
     * Writes the HTML report of {@code feint eval --report} (with the audit's verdict when one ran)
     * into the folder {@code dir}: {@code index.html} and {@code report.json}, replacing an earlier
     * report there. All or nothing: the folder is built beside and moved in place.
     *
     * @param dir the report's folder (created with its parents)
     * @return the page, {@code dir/index.html}
     * @throws FeintException when the folder cannot be written, naming it
     */
    public Path writeReport(Path dir) {
        ReportInput input = new ReportInput(model.name(), model.metadata(), model.model(), data, report, outcomes, audit);
        HtmlReport page = new HtmlReport("Evaluation of " + model.name() + " on " + data.name() + ": " + ran(), version(), seed,
                List.of(input));
        try (dev.feint.io.internal.Outputs out = new dev.feint.io.internal.Outputs()) {
            dev.feint.io.internal.Outputs.check(dir);
            Path p = page.stage(out, dir);
            out.commit();
            return p;
        }
    }

    /** {@return one line: clean accuracy, each attack, the worst case} */
    @Override public String toString() {
        return model.name() + " on " + examples() + " examples: clean " + RobustnessReport.pct(cleanAccuracy()) + ", " + ran()
                + ", worst case " + RobustnessReport.pct(worstCase());
    }

    /** Every attack run as {@code name (norm, eps e) robust%}. */
    private String ran() {
        List<String> s = new ArrayList<>();
        for (RobustnessReport.Entry e : report.entries())
            s.add(e.attack() + " (" + e.norm().id() + ", eps " + e.eps() + ") " + RobustnessReport.pct(e.summary().robustAccuracy()));
        for (RobustnessReport.PixelEntry e : report.pixelEntries())
            s.add(e.attack() + " (" + e.pixels() + " pixels) " + RobustnessReport.pct(e.summary().robustAccuracy()));
        return String.join(", ", s);
    }

    private boolean[] robustToAll() {
        boolean[] all = new boolean[report.examples()];
        java.util.Arrays.fill(all, true);
        for (RobustnessReport.Entry e : report.entries()) and(all, e.robust());
        for (RobustnessReport.PixelEntry e : report.pixelEntries()) and(all, e.robust());
        return all;
    }

    private static void and(boolean[] all, boolean[] r) {
        for (int i = 0; i < all.length; i++) all[i] &= r[i];
    }

    /** The version in the jar's manifest, else "dev" (a build from sources). */
    static String version() {
        String v = RobustnessResult.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
