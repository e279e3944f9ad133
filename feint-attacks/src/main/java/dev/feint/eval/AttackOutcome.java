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
 *
 * @param attack the attack that ran
 * @param targeted whether the run was targeted
 * @param adversarial the adversarial inputs in dataset order, or null when not kept
 * @param examples the per-example results, in dataset order
 * @param wallSeconds the run's wall-clock seconds
 * @param stageSeconds the seconds of each stage of a composite attack, in order (null otherwise)
 */
public record AttackOutcome(Attack attack, boolean targeted, Tensor adversarial, List<ExampleResult> examples,
                            double wallSeconds, Map<String, Double> stageSeconds) {
    /** Copies the lists, so that the record stays immutable. */
    public AttackOutcome {
        examples = List.copyOf(examples);
        stageSeconds = stageSeconds == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
    }

    /**
     * A single attack's outcome (no stages).
     *
     * @param attack the attack that ran
     * @param targeted whether the run was targeted
     * @param adversarial the adversarial inputs, or null when not kept
     * @param examples the per-example results
     * @param wallSeconds the run's wall-clock seconds
     */
    public AttackOutcome(Attack attack, boolean targeted, Tensor adversarial, List<ExampleResult> examples, double wallSeconds) {
        this(attack, targeted, adversarial, examples, wallSeconds, null);
    }

    /** {@return the stage table of a composite attack (null for a single attack)} */
    public List<StageTable.Row> stages() { return stageSeconds == null ? null : StageTable.of(examples, stageSeconds); }

    /** {@return the model queries the run spent, over every example} */
    public long queries() {
        long q = 0;
        for (ExampleResult e : examples) q += e.queries();
        return q;
    }

    /** {@return the input gradients the run spent, over every example} */
    public long gradientEvaluations() {
        long g = 0;
        for (ExampleResult e : examples) g += e.gradients();
        return g;
    }

    /**
     * Per example: still correct at radius eps (fixed-eps attacks ignore eps: it is their own).
     *
     * @param eps the radius, for minimum-norm attacks
     * @return per example, whether it is still classified correctly
     */
    public boolean[] robust(float eps) {
        boolean[] r = new boolean[examples.size()];
        for (int i = 0; i < r.length; i++) {
            ExampleResult e = examples.get(i);
            r[i] = attack.minimumNorm() ? e.robustWithin(eps) : e.robust();
        }
        return r;
    }

    /**
     * Per example: the attack succeeded (within eps, for minimum-norm attacks).
     *
     * @param eps the radius, for minimum-norm attacks
     * @return per example, whether the attack succeeded
     */
    public boolean[] fooled(float eps) {
        boolean[] f = new boolean[examples.size()];
        for (int i = 0; i < f.length; i++) {
            ExampleResult e = examples.get(i);
            f[i] = e.attacked() && e.success() && (!attack.minimumNorm() || e.size() <= eps * (1 + 1e-6f));
        }
        return f;
    }

    /**
     * The metrics at a radius.
     *
     * @param eps the radius (fixed-eps attacks ignore it: it is their own)
     * @return the summary
     */
    public AttackSummary summaryAt(float eps) {
        return AttackSummary.of(examples, robust(eps), fooled(eps), targeted, queries(), gradientEvaluations(), wallSeconds,
                pixelAttack());
    }

    /** {@return true for the pixel attacks (onepixel, pixel-search): budget in changed pixels, no eps; examples list their pixels} */
    public boolean pixelAttack() { return attack instanceof PixelAttack; }

    /** {@return the pixel budget of a pixel attack (0 for any other attack)} */
    public int pixels() { return attack instanceof PixelAttack p ? p.pixels() : 0; }

    /** {@return metrics at the attack's own eps (for minimum-norm attacks: whatever it found, unbounded)} */
    public AttackSummary summary() { return summaryAt(attack.minimumNorm() ? Float.POSITIVE_INFINITY : attack.eps()); }

    /** {@return the --out-json document: {"attack": {...}, "summary": {...}, "examples": [...]}} */
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
