package dev.feint.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AUCs of one attack at one radius (docs/FORMATS.md, {@code rocAuc} and {@code detectionAuc}):
 * {@code classes}, the one-vs-rest ROC-AUC of the model's softmax scores on the adversarial
 * inputs (all examples, with their true labels); and {@code detection}, the AUC of the model's
 * own confidence (max softmax) at telling clean inputs from adversarial ones, with clean as the
 * positive class (1.0: every clean input more confident than every adversarial one; 0.5:
 * chance). Detection compares the {@code clean} correctly classified clean inputs with the
 * {@code adversarial} successful adversarial examples made from them; NaN when either is empty.
 * For a minimum-norm attack at eps, an example whose perturbation exceeds eps counts with its
 * clean input (the attack found nothing within eps).
 *
 * @param classes the one-vs-rest ROC-AUC of the softmax scores on the adversarial inputs
 * @param detection the AUC of the model's confidence at telling clean from adversarial inputs
 * @param clean correctly classified clean inputs compared
 * @param adversarial successful adversarial examples compared
 */
public record AucSummary(RocAuc.OneVsRest classes, double detection, int clean, int adversarial) {

    /** From the clean scores, the scores of the outcome's adversarial inputs, and the radius. */
    static AucSummary of(SoftmaxScores cleanScores, SoftmaxScores advScores, AttackOutcome o, float eps) {
        boolean[] fooled = o.fooled(eps);
        SoftmaxScores at = o.attack().minimumNorm() ? cleanScores.mixed(advScores, fooled) : advScores;
        List<ExampleResult> ex = o.examples();
        int n = ex.size();
        int[] labels = new int[n];
        int nc = 0, na = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = ex.get(i).label();
            if (ex.get(i).cleanCorrect()) {
                nc++;
                if (fooled[i]) na++;
            }
        }
        double[] pos = new double[nc], neg = new double[na];
        int a = 0, b = 0;
        for (int i = 0; i < n; i++) {
            if (!ex.get(i).cleanCorrect()) continue;
            pos[a++] = cleanScores.confidence(i);
            if (fooled[i]) neg[b++] = at.confidence(i);
        }
        return new AucSummary(RocAuc.oneVsRest(at.logProb(), labels, at.classes()), RocAuc.aucOf(pos, neg), nc, na);
    }

    /** {@return the JSON members a result gains: {"rocAuc": {...}, "detectionAuc": {"auc", "clean", "adversarial"}}} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("rocAuc", classes.toMap());
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("auc", detection);
        d.put("clean", (long) clean);
        d.put("adversarial", (long) adversarial);
        m.put("detectionAuc", d);
        return m;
    }
}
