package dev.feint.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Area under the ROC curve in its Mann-Whitney form: the probability that a random positive
 * scores above a random negative, a tie counting 1/2. Exact (the pair count is kept in a
 * {@code long}) and O(n log n): both groups are sorted and swept once. Higher score means
 * "more positive". Undefined (NaN) when a group is empty or any score is NaN.
 *
 * <pre>{@code
 * double a = RocAuc.auc(new double[] {0.9, 0.4, 0.4, 0.1}, new boolean[] {true, true, false, false}); // 0.875
 * RocAuc.OneVsRest r = RocAuc.oneVsRest(scores, labels, 10);  // scores: [n, k] row-major
 * }</pre>
 */
public final class RocAuc {
    private RocAuc() {}

    /**
     * AUC of {@code scores} for telling {@code positive[i]} examples from the others.
     *
     * @param scores one score per example, higher meaning positive
     * @param positive per example, whether it is positive
     * @return the AUC, ties counted half; NaN when either group is empty
     */
    public static double auc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length)
            throw new IllegalArgumentException("scores: " + scores.length + " scores for " + positive.length + " positive flags");
        int np = 0;
        for (boolean p : positive) if (p) np++;
        double[] pos = new double[np], neg = new double[scores.length - np];
        int a = 0, b = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) return Double.NaN;
            if (positive[i]) pos[a++] = scores[i] + 0.0; // + 0.0 turns -0.0 into 0.0: they are equal scores
            else neg[b++] = scores[i] + 0.0;
        }
        return pairCount(pos, neg);
    }

    /**
     * AUC of positive scores against negative scores (each group its own array).
     *
     * @param positives the scores of the positive examples
     * @param negatives the scores of the negative ones
     * @return the AUC, ties counted half; NaN when either group is empty
     */
    public static double aucOf(double[] positives, double[] negatives) {
        for (double v : positives) if (Double.isNaN(v)) return Double.NaN;
        for (double v : negatives) if (Double.isNaN(v)) return Double.NaN;
        double[] p = positives.clone(), q = negatives.clone();
        for (int i = 0; i < p.length; i++) p[i] += 0.0;
        for (int i = 0; i < q.length; i++) q[i] += 0.0;
        return pairCount(p, q);
    }

    /** Both arrays are owned (sorted in place), NaN-free, with no -0.0. */
    private static double pairCount(double[] pos, double[] neg) {
        if (pos.length == 0 || neg.length == 0) return Double.NaN;
        Arrays.sort(pos);
        Arrays.sort(neg);
        long twice = 0; // twice the count of (positive above negative) pairs plus tied pairs: exact
        int below = 0, atOrBelow = 0;
        for (double s : pos) {
            while (below < neg.length && neg[below] < s) below++;
            if (atOrBelow < below) atOrBelow = below;
            while (atOrBelow < neg.length && neg[atOrBelow] <= s) atOrBelow++;
            twice += 2L * below + (atOrBelow - below);
        }
        return twice / (2.0 * pos.length * neg.length);
    }

    /**
     * One-vs-rest AUC per class and their macro mean. {@code perClass[c]} is NaN for a class
     * with no positive or no negative example among the labels; such classes are listed in
     * {@code skipped} and left out of the macro mean (scikit-learn refuses these inputs
     * instead). {@code macro} is NaN when every class is skipped.
     *
     * @param macro the mean AUC over the classes not skipped
     * @param perClass the AUC of each class
     * @param skipped the classes left out
     */
    public record OneVsRest(double macro, double[] perClass, List<Integer> skipped) {
        /** Copies the arrays, so that the record stays immutable. */
        public OneVsRest {
            perClass = perClass.clone();
            skipped = List.copyOf(skipped);
        }

        /** {@return the AUC of each class (a copy)} */
        @Override public double[] perClass() { return perClass.clone(); }

        /** {@return JSON-ready: {"macro", "perClass": [... null for skipped], "skippedClasses": [...]}} */
        public Map<String, Object> toMap() {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("macro", macro);
            List<Object> pc = new ArrayList<>(perClass.length);
            for (double v : perClass) pc.add(v);
            m.put("perClass", pc);
            List<Object> sk = new ArrayList<>(skipped.size());
            for (int c : skipped) sk.add((long) c);
            m.put("skippedClasses", sk);
            return m;
        }
    }

    /**
     * One-vs-rest AUC of {@code scores} [n, k] (row-major; higher: more likely that class) against labels in 0..k-1.
     *
     * @param scores the scores [n, k], row-major
     * @param labels the true labels
     * @param k the number of classes
     * @return the AUC per class and their macro mean
     */
    public static OneVsRest oneVsRest(float[] scores, int[] labels, int k) {
        int n = labels.length;
        if (k < 1 || scores.length != (long) n * k)
            throw new IllegalArgumentException("scores: " + scores.length + " scores for " + n + " labels x " + k + " classes");
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside 0.." + (k - 1));
        double[] perClass = new double[k], col = new double[n];
        boolean[] pos = new boolean[n];
        List<Integer> skipped = new ArrayList<>();
        double sum = 0;
        int used = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                col[i] = scores[i * k + c];
                pos[i] = labels[i] == c;
            }
            perClass[c] = auc(col, pos);
            boolean hasPos = false, hasNeg = false;
            for (boolean p : pos) if (p) hasPos = true; else hasNeg = true;
            if (!hasPos || !hasNeg) skipped.add(c);
            else {
                sum += perClass[c]; // a NaN score makes the macro NaN too
                used++;
            }
        }
        return new OneVsRest(used == 0 ? Double.NaN : sum / used, perClass, skipped);
    }
}
