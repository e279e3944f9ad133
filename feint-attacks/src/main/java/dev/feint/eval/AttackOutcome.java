package dev.feint.eval;

import dev.feint.attack.Attack;
import dev.feint.attack.blackbox.PixelAttack;
import dev.feint.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attack run over a dataset: the adversarial inputs [N, C, H, W] in dataset order (null for
 * a run that did not keep them, {@link AttackRunner#keepInputs}), the per-example results, and the
 * cost. {@link #summaryAt} gives the metrics at any radius: the attack's own eps for fixed-eps
 * attacks, any eps for minimum-norm attacks. A composite attack
 * (AutoAttack) also has its seconds per stage and {@link #stages()}, the robust accuracy after each.
 */
public record AttackOutcome(Attack attack, boolean targeted, Tensor adversarial, List<ExampleResult> examples,
                            double wallSeconds, Map<String, Double> stageSeconds) {
    public AttackOutcome {
        examples = List.copyOf(examples);
        stageSeconds = stageSeconds == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
    }

    /** A single attack's outcome (no stages). */
    public AttackOutcome(Attack attack, boolean targeted, Tensor adversarial, List<ExampleResult> examples, double wallSeconds) {
        this(attack, targeted, adversarial, examples, wallSeconds, null);
    }

    /** The stage table of a composite attack (null for a single attack). */
    public List<StageTable.Row> stages() { return stageSeconds == null ? null : StageTable.of(examples, stageSeconds); }

    public long queries() {
        long q = 0;
        for (ExampleResult e : examples) q += e.queries();
        return q;
    }

    public long gradientEvaluations() {
        long g = 0;
        for (ExampleResult e : examples) g += e.gradients();
        return g;
    }

    /** Per example: still correct at radius eps (fixed-eps attacks ignore eps: it is their own). */
    public boolean[] robust(float eps) {
        boolean[] r = new boolean[examples.size()];
        for (int i = 0; i < r.length; i++) {
            ExampleResult e = examples.get(i);
            r[i] = attack.minimumNorm() ? e.robustWithin(eps) : e.robust();
        }
        return r;
    }

    /** Per example: the attack succeeded (within eps, for minimum-norm attacks). */
    public boolean[] fooled(float eps) {
        boolean[] f = new boolean[examples.size()];
        for (int i = 0; i < f.length; i++) {
            ExampleResult e = examples.get(i);
            f[i] = e.attacked() && e.success() && (!attack.minimumNorm() || e.size() <= eps * (1 + 1e-6f));
        }
        return f;
    }

    public AttackSummary summaryAt(float eps) {
        return AttackSummary.of(examples, robust(eps), fooled(eps), targeted, queries(), gradientEvaluations(), wallSeconds,
                pixelAttack());
    }

    /** True for the pixel attacks (onepixel, pixel-search): budget in changed pixels, no eps; examples list their pixels. */
    public boolean pixelAttack() { return attack instanceof PixelAttack; }

    /** The pixel budget of a pixel attack (0 for any other attack). */
    public int pixels() { return attack instanceof PixelAttack p ? p.pixels() : 0; }

    /** Metrics at the attack's own eps (for minimum-norm attacks: whatever it found, unbounded). */
    public AttackSummary summary() { return summaryAt(attack.minimumNorm() ? Float.POSITIVE_INFINITY : attack.eps()); }

    /** The --out-json document: {"attack": {...}, "summary": {...}, "examples": [...]}. */
    public Map<String, Object> toJson() {
        LinkedHashMap<String, Object> a = new LinkedHashMap<>(attack.parameters());
        a.put("targeted", targeted);
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("attack", a);
        m.put("summary", summary().toMap());
        if (stageSeconds != null) m.put("stages", StageTable.toJson(stages()));
        List<Object> ex = new java.util.ArrayList<>(examples.size());
        for (ExampleResult e : examples) ex.add(e.toMap());
        m.put("examples", ex);
        return m;
    }
}
