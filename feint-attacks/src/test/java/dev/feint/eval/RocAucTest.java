package dev.feint.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocAucTest {
    /** The reference: every (positive, negative) pair, a tie counting 1/2. O(n^2). */
    static double pairCount(double[] s, boolean[] pos) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++)
            for (int j = 0; j < s.length; j++)
                if (pos[i] && !pos[j]) {
                    pairs++;
                    sum += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    @Test
    void handWorkedCaseWithTies() {
        // positives {0.9, 0.4}, negatives {0.4, 0.1}: pairs 1 + 1 + 1/2 + 1 = 3.5 of 4
        assertEquals(0.875, RocAuc.auc(new double[] {0.9, 0.4, 0.4, 0.1}, new boolean[] {true, true, false, false}), 0);
        // positives {3, 3, 2}, negatives {3, 2, 1}: each 3 gives 1/2 + 1 + 1, the 2 gives 0 + 1/2 + 1: 6.5 of 9
        assertEquals(6.5 / 9, RocAuc.auc(new double[] {3, 3, 3, 2, 2, 1}, new boolean[] {true, false, true, false, true, false}), 1e-15);
        // all tied: chance, and -0.0 ties with 0.0
        assertEquals(0.5, RocAuc.auc(new double[] {0.0, -0.0, 0.0, -0.0}, new boolean[] {true, true, false, false}), 0);
        assertEquals(0.5, RocAuc.aucOf(new double[] {-0.0}, new double[] {0.0}), 0);
    }

    @Test
    void swappingTheClassesGivesTheComplement() {
        double[] s = {0.9, 0.4, 0.4, 0.1, 0.7};
        boolean[] pos = {true, true, false, false, false};
        boolean[] neg = new boolean[pos.length];
        for (int i = 0; i < pos.length; i++) neg[i] = !pos[i];
        double a = RocAuc.auc(s, pos);
        assertEquals(4.5 / 6, a, 1e-15);
        assertEquals(1 - a, RocAuc.auc(s, neg), 1e-15);
        assertEquals(a, RocAuc.aucOf(new double[] {0.9, 0.4}, new double[] {0.4, 0.1, 0.7}), 1e-15);
    }

    @Test
    void matchesThePairCountOnSeededScores() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(300);
            int levels = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 20 : 0; // heavy ties, some ties, continuous
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                pos[i] = rnd.nextDouble() < 0.3;
                double g = rnd.nextGaussian() + (pos[i] ? 0.7 : 0);
                s[i] = levels == 0 ? g : Math.floor(g * levels / 4) ;
            }
            assertEquals(pairCount(s, pos), RocAuc.auc(s, pos), 1e-12, "trial " + trial + ", n " + n);
        }
    }

    @Test
    void emptyGroupOrNaNScoreIsUndefined() {
        assertTrue(Double.isNaN(RocAuc.auc(new double[] {1, 2}, new boolean[] {true, true})));
        assertTrue(Double.isNaN(RocAuc.aucOf(new double[] {1}, new double[0])));
        assertTrue(Double.isNaN(RocAuc.auc(new double[] {1, Double.NaN}, new boolean[] {true, false})));
    }

    @Test
    void oneVsRestPerClassMacroAndSkippedClasses() {
        // 4 examples, 3 classes; class 2 never occurs as a label: skipped, out of the macro
        float[] scores = {
                0.7f, 0.2f, 0.1f,   // label 0
                0.3f, 0.3f, 0.4f,   // label 0
                0.3f, 0.6f, 0.1f,   // label 1
                0.1f, 0.8f, 0.1f};  // label 1
        RocAuc.OneVsRest r = RocAuc.oneVsRest(scores, new int[] {0, 0, 1, 1}, 3);
        // class 0: positives {0.7, 0.3}, negatives {0.3, 0.1}: 1 + 1 + 1/2 + 1 = 3.5 / 4
        // class 1: positives {0.6, 0.8}, negatives {0.2, 0.3}: 4 / 4
        assertEquals(0.875, r.perClass()[0], 1e-7);
        assertEquals(1.0, r.perClass()[1], 0);
        assertTrue(Double.isNaN(r.perClass()[2]));
        assertEquals(List.of(2), r.skipped());
        assertEquals((0.875 + 1.0) / 2, r.macro(), 1e-7);
        java.util.Map<String, Object> m = r.toMap();
        assertEquals(List.of(2L), m.get("skippedClasses"));
    }

    @Test
    void oneVsRestMatchesThePairCountPerClass() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 250, k = 4;
        float[] s = new float[n * k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            for (int c = 0; c < k; c++) s[i * k + c] = (float) Math.round((rnd.nextGaussian() + (c == y[i] ? 1 : 0)) * 4) / 4;
        }
        RocAuc.OneVsRest r = RocAuc.oneVsRest(s, y, k);
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double[] col = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                col[i] = s[i * k + c];
                pos[i] = y[i] == c;
            }
            double want = pairCount(col, pos);
            assertEquals(want, r.perClass()[c], 1e-12, "class " + c);
            sum += want;
        }
        assertEquals(sum / k, r.macro(), 1e-12);
        assertTrue(r.skipped().isEmpty());
    }

    @Test
    void logSoftmaxKeepsConfidentPredictionsApart() {
        // float softmax rounds both to 1.0; the log-softmax scores must still rank them
        float[] out = new float[4];
        SoftmaxScores.logSoftmaxRow(new float[] {0, 40, 0, 50}, 0, 2, out, 0);
        SoftmaxScores.logSoftmaxRow(new float[] {0, 40, 0, 50}, 2, 2, out, 2);
        assertTrue(out[1] < out[3] && out[3] < 0, java.util.Arrays.toString(out));
        assertEquals(-Math.exp(-40), out[1], 1e-6 * Math.exp(-40));
        assertEquals(-40, out[0], 1e-5);
    }
}
