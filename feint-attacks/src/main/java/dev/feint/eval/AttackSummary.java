package dev.feint.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one attack at one radius (see docs/FORMATS.md for exact definitions).
 * Rates are fractions in [0, 1]; NaN (null in JSON) where the denominator is empty.
 * {@code queriesToSuccess} and {@code successVsQueries} describe the cost of the successes
 * (the black-box figure of merit); {@code pixelL0} is null except for pixel attacks.
 *
 * @param examples examples evaluated
 * @param cleanAccuracy fraction classified correctly without attack
 * @param robustAccuracy fraction still classified correctly under attack
 * @param successRate attack success over the examples classified correctly and attacked
 * @param targetedSuccessRate fraction of the targeted examples that reached their target (NaN when untargeted)
 * @param meanConfidence mean softmax probability of the predictions on the examples not robust
 * @param linf Linf sizes of the successful perturbations
 * @param l2 their L2 sizes
 * @param l0 their L0 sizes
 * @param queries model queries spent
 * @param gradientEvaluations input gradients spent
 * @param wallSeconds wall-clock seconds
 * @param queriesToSuccess queries each success took
 * @param successVsQueries success rate within each query budget of a grid
 * @param pixelL0 changed pixels of the successes (pixel attacks only, else null)
 */
public record AttackSummary(int examples, double cleanAccuracy, double robustAccuracy, double successRate,
                            double targetedSuccessRate, double meanConfidence, Stats linf, Stats l2, Stats l0,
                            long queries, long gradientEvaluations, double wallSeconds, Stats queriesToSuccess,
                            List<QueryPoint> successVsQueries, Stats pixelL0) {
    /** Copies the list, so that the record stays immutable. */
    public AttackSummary {
        successVsQueries = List.copyOf(successVsQueries);
    }

    /**
     * Attack success rate (over the examples classified correctly and attacked) within a per-example query budget.
     *
     * @param queries the per-example query budget
     * @param successRate the success rate within it
     */
    public record QueryPoint(long queries, double successRate) {
        /** {@return the point as JSON: {@code {"queries", "successRate"}}} */
        public Map<String, Object> toMap() {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("queries", queries);
            m.put("successRate", successRate);
            return m;
        }
    }

    /**
     * From per-example results and robust flags at the radius of interest. {@code fooledAt}
     * says, per example, whether the attack counts as successful at that radius; {@code pixel}
     * whether the run recorded changed pixels.
     */
    static AttackSummary of(List<ExampleResult> ex, boolean[] robust, boolean[] fooledAt, boolean targeted,
                            long queries, long grads, double seconds, boolean pixel) {
        int n = ex.size(), clean = 0, rob = 0, correct = 0, fooled = 0, attacked = 0, hit = 0, wrong = 0;
        double conf = 0;
        double[] li = new double[n], l2 = new double[n], l0 = new double[n], q = new double[n], px = new double[n];
        long[] cost = new long[n]; // queries of the examples in the success-rate denominator, fooled or not
        int s = 0;
        for (int i = 0; i < n; i++) {
            ExampleResult e = ex.get(i);
            if (e.cleanCorrect()) clean++;
            if (robust[i]) rob++;
            if (e.cleanCorrect() && e.attacked()) {
                cost[correct++] = e.queries();
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
                l0[s] = e.l0();
                q[s] = e.queries();
                px[s++] = Math.max(0, e.pixelL0());
            }
        }
        return new AttackSummary(n, frac(clean, n), frac(rob, n), frac(fooled, correct),
                targeted ? frac(hit, attacked) : Double.NaN, wrong == 0 ? Double.NaN : conf / wrong,
                Stats.of(Arrays.copyOf(li, s)), Stats.of(Arrays.copyOf(l2, s)), Stats.of(Arrays.copyOf(l0, s)),
                queries, grads, seconds, Stats.of(Arrays.copyOf(q, s)), curve(ex, fooledAt, Arrays.copyOf(cost, correct)),
                pixel ? Stats.of(Arrays.copyOf(px, s)) : null);
    }

    /**
     * Success rate within q queries at q = 1, 2, 5, 10, 20, 50, ... below the largest per-example
     * cost, and at that cost (where it equals {@link #successRate}). Empty when no example counts.
     */
    private static List<QueryPoint> curve(List<ExampleResult> ex, boolean[] fooledAt, long[] cost) {
        if (cost.length == 0) return List.of();
        long max = 0;
        for (long c : cost) max = Math.max(max, c);
        List<Long> grid = new ArrayList<>();
        outer:
        for (long p = 1; ; p *= 10)
            for (long m : new long[] {1, 2, 5}) {
                if (p * m >= max) break outer;
                grid.add(p * m);
            }
        grid.add(max);
        long[] fooledCost = new long[cost.length];
        int f = 0;
        for (int i = 0; i < ex.size(); i++) {
            ExampleResult e = ex.get(i);
            if (e.cleanCorrect() && e.attacked() && fooledAt[i]) fooledCost[f++] = e.queries();
        }
        fooledCost = Arrays.copyOf(fooledCost, f);
        Arrays.sort(fooledCost);
        List<QueryPoint> out = new ArrayList<>(grid.size());
        int j = 0;
        for (long budget : grid) {
            while (j < fooledCost.length && fooledCost[j] <= budget) j++;
            out.add(new QueryPoint(budget, (double) j / cost.length));
        }
        return out;
    }

    private static double frac(int a, int b) { return b == 0 ? Double.NaN : (double) a / b; }

    /** {@return the summary as JSON, in the schema of docs/FORMATS.md (NaN written as null)} */
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
        m.put("queriesToSuccess", queriesToSuccess.toMap());
        List<Object> curve = new ArrayList<>(successVsQueries.size());
        for (QueryPoint p : successVsQueries) curve.add(p.toMap());
        m.put("successVsQueries", curve);
        m.put("pixelL0", pixelL0 == null ? null : pixelL0.toMap());
        return m;
    }
}
