package dev.feint.eval.audit;

import dev.feint.attack.AttackSpec;
import dev.feint.attack.Norm;
import dev.feint.eval.NamedModel;
import dev.feint.eval.TransferEvaluation;

import java.util.List;

/**
 * Check 4b (arXiv:1902.06705, section 5.4): adversarial examples crafted on a naturally trained
 * surrogate model and replayed on the audited one are a black-box attack too, and must not break
 * examples the white-box attacks missed. Runs MI-FGSM (PGD for L1) with the short run's steps on the surrogate at eps;
 * only part of the audit when a surrogate is given.
 */
public final class TransferCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "transfer";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public TransferCheck() {}

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        if (a.surrogate() == null) throw new IllegalStateException("the transfer check needs a surrogate model");
        boolean[] white = a.whiteBoxRobust();
        // MI-FGSM: momentum is what makes iterative examples transfer (Dong et al., arXiv:1710.06081); it has no L1 form.
        String name = a.norm() == Norm.L1 ? "pgd" : "mifgsm";
        AuditRun.Run t = a.custom("transfer-" + name + "-" + a.budget().weakSteps(), AuditRun.Kind.TRANSFER, a.eps(), () ->
                TransferEvaluation.builder().surrogate(new NamedModel("surrogate", a.surrogate()))
                        .targets(List.of(new NamedModel("audited", a.model()))).data(a.data())
                        .attacks(List.of(a.create(AttackSpec.of(name).eps(a.eps()).with("steps", a.budget().weakSteps()))))
                        .eps(a.eps()).batchSize(a.batchSize()).build().run().rows().get(0).robust()[0]);
        CheckResult r = BlackBoxCheck.judge("the transfer attack", AuditRun.brokenOnlyBy(white, t.robust()), AuditRun.accuracy(white),
                t.robustAccuracy(), a.size());
        return new CheckResult(ID, "Transfer attacks below white-box", r.verdict(), r.measure(), r.figure(), r.threshold(), r.message(),
                r.details());
    }
}
