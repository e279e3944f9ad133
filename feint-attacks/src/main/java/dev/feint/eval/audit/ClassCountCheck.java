package dev.feint.eval.audit;

import java.util.Map;

/**
 * Check 8 (AutoAttack's class-count flag, arXiv:2003.01690, section 3): the DLR loss
 * {@code -(z_y - max_{i != y} z_i) / (z_pi1 - z_pi3)} needs a third-largest logit, so at least
 * 3 classes; its targeted form divides by {@code z_pi1 - (z_pi3 + z_pi4) / 2}, so at least 4;
 * APGD-T and FAB-T attack {@link #TARGETS} target classes, so they need {@code TARGETS + 1}
 * classes or use fewer targets. Says which of these apply and how the evaluation handles them.
 */
public final class ClassCountCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "classes";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public ClassCountCheck() {}

    /** AutoAttack's number of target classes for APGD-T and FAB-T. */
    public static final int TARGETS = 9;
    /** The DLR loss uses pi_3, the third-largest logit. */
    public static final int DLR_MIN_CLASSES = 3;
    /** The targeted DLR loss also uses pi_4. */
    public static final int TARGETED_DLR_MIN_CLASSES = 4;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) { return judge(a.model().numClasses()); }

    /**
     * From the number of classes.
     *
     * @param classes the model's number of classes
     * @return the verdict
     */
    public static CheckResult judge(int classes) {
        int targets = Math.max(0, Math.min(TARGETS, classes - 1));
        Verdict v;
        String msg;
        double threshold;
        if (classes < DLR_MIN_CLASSES) {
            v = Verdict.WARN;
            threshold = DLR_MIN_CLASSES;
            msg = "with " + classes + " classes the DLR loss is undefined: the audit runs APGD on the margin loss instead, and APGD-T "
                    + "on targeted cross-entropy; AutoAttack skips its DLR stages, so add restarts to compensate.";
        } else if (classes < TARGETED_DLR_MIN_CLASSES) {
            v = Verdict.WARN;
            threshold = TARGETED_DLR_MIN_CLASSES;
            msg = "with " + classes + " classes the targeted DLR loss is undefined: APGD-T falls back to targeted cross-entropy "
                    + "(untargeted DLR still runs), so add restarts to compensate.";
        } else if (targets < TARGETS) {
            v = Verdict.PASS;
            threshold = TARGETS + 1;
            msg = "with " + classes + " classes the targeted attacks use " + targets + " targets instead of " + TARGETS + " (every other class).";
        } else {
            v = Verdict.PASS;
            threshold = TARGETS + 1;
            msg = classes + " classes: DLR, targeted DLR and " + TARGETS + " targets all apply.";
        }
        return new CheckResult(ID, "Enough classes for DLR and targets", v, "number of classes", classes, threshold, CheckResult.Unit.COUNT, msg,
                Map.of("targets", (long) targets, "dlr", classes >= DLR_MIN_CLASSES, "targetedDlr", classes >= TARGETED_DLR_MIN_CLASSES));
    }
}
