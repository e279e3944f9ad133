package dev.feint.eval.audit;

/**
 * One check of an {@link Audit}. {@link #run} measures what it needs through the shared
 * {@link AuditRun} (attack runs are shared between checks, so order does not matter) and
 * returns its verdict. Each check also has a static {@code judge} that turns figures into a
 * {@link CheckResult}, so its thresholds can be tested without running an attack.
 */
public interface AuditCheck {
    /** {@return a short stable id for JSON and for choosing checks: unbounded, monotone, ..} */
    String id();

    /**
     * Measures and judges.
     *
     * @param run the audit's shared runs and data
     * @return the check's verdict and figures
     */
    CheckResult run(AuditRun run);
}
