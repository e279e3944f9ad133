package dev.feint.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one attack at one radius (see docs/FORMATS.md for exact definitions).
 * Rates are fractions in [0, 1]; NaN (null in JSON) where the denominator is empty.
 */
public record AttackSummary(int examples, double cleanAccuracy, double robustAccuracy, double successRate,
                            double targetedSuccessRate, double meanConfidence, Stats linf, Stats l2, Stats l0,
                            long queries, long gradientEvaluations, double wallSeconds) {

    /**
     * From per-example results and robust flags at the radius of interest. {@code fooledAt}
     * says, per example, whether the attack counts as successful at that radius.
     */
    static AttackSummary of(List<ExampleResult> ex, boolean[] robust, boolean[] fooledAt, boolean targeted,
                            long queries, long grads, double seconds) {
        int n = ex.size(), clean = 0, rob = 0, correct = 0, fooled = 0, attacked = 0, hit = 0, wrong = 0;
        double conf = 0;
        double[] li = new double[n], l2 = new double[n], l0 = new double[n];
        int s = 0;
        for (int i = 0; i < n; i++) {
            ExampleResult e = ex.get(i);
            if (e.cleanCorrect()) clean++;
            if (robust[i]) rob++;
            if (e.cleanCorrect() && e.attacked()) {
                correct++;
                if (fooledAt[i]) fooled++;
            }
            if (e.attacked() && targeted) {
                attacked++;
                if (fooledAt[i]) hit++;
            }
            if (!robust[i]) {
                wrong++;
                conf += e.confidence();
            }
            if (fooledAt[i] && e.cleanCorrect()) {
                li[s] = e.linf();
                l2[s] = e.l2();
                l0[s++] = e.l0();
            }
        }
        return new AttackSummary(n, frac(clean, n), frac(rob, n), frac(fooled, correct),
                targeted ? frac(hit, attacked) : Double.NaN, wrong == 0 ? Double.NaN : conf / wrong,
                Stats.of(java.util.Arrays.copyOf(li, s)), Stats.of(java.util.Arrays.copyOf(l2, s)),
                Stats.of(java.util.Arrays.copyOf(l0, s)), queries, grads, seconds);
    }

    private static double frac(int a, int b) { return b == 0 ? Double.NaN : (double) a / b; }

    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("examples", (long) examples);
        m.put("cleanAccuracy", cleanAccuracy);
        m.put("robustAccuracy", robustAccuracy);
        m.put("attackSuccessRate", successRate);
        m.put("targetedSuccessRate", targetedSuccessRate);
        m.put("meanAdversarialConfidence", meanConfidence);
        m.put("linf", linf.toMap());
        m.put("l2", l2.toMap());
        m.put("l0", l0.toMap());
        m.put("queries", queries);
        m.put("gradientEvaluations", gradientEvaluations);
        m.put("wallSeconds", wallSeconds);
        return m;
    }
}
