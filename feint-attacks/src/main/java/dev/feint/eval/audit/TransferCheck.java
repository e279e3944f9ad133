package dev.feint.eval.audit;

import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;

/**
 * Check 4b (arXiv:1902.06705, section 5.4): adversarial examples crafted on a naturally trained
 * surrogate model and replayed on the audited one are a black-box attack too, and must not break
 * examples the white-box attacks missed. Runs the long PGD (no restarts) on the surrogate at eps;
 * only part of the audit when a surrogate is given.
 */
public final class TransferCheck implements AuditCheck {
    public static final String ID = "transfer";

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        if (a.surrogate() == null) throw new IllegalStateException("the transfer check needs a surrogate model");
        boolean[] white = a.whiteBoxRobust();
        AuditRun.Run t = a.custom("transfer-pgd-" + a.budget().strongSteps(), AuditRun.Kind.TRANSFER, a.eps(), () -> {
            AttackOutcome o = new AttackRunner(a.surrogate()).batchSize(a.batchSize()).run(
                    dev.feint.attack.gradient.Pgd.builder().norm(a.norm()).eps(a.eps()).steps(a.budget().strongSteps()).seed(a.seed()).build(),
                    a.x(), a.labels(), null);
            return AuditRun.correct(a.model(), o.adversarial(), a.labels(), a.batchSize());
        });
        CheckResult r = BlackBoxCheck.judge("the transfer attack", AuditRun.brokenOnlyBy(white, t.robust()), AuditRun.accuracy(white),
                t.robustAccuracy(), a.size());
        return new CheckResult(ID, "Transfer attacks below white-box", r.verdict(), r.measure(), r.figure(), r.threshold(), r.message(),
                r.details());
    }
}
