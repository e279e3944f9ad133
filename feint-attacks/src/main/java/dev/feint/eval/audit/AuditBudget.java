package dev.feint.eval.audit;

import dev.feint.FeintException;

/**
 * How much the audit spends. The defaults follow the references: PGD-10 against PGD-100 with 5
 * restarts (Carlini et al. 2019, arXiv:1902.06705, section 5: more iterations and restarts must
 * not help the defender; AutoAttack's plus version also uses 5 restarts), Square with AutoAttack's
 * settings (5,000 queries, p_init 0.8; arXiv:2003.01690), APGD with AutoAttack's 100 steps and
 * APGD-T with its 9 targets, 10 noise draws, 5 forward passes for the
 * randomness probe (as AutoAttack's own check). Smaller budgets make a cheaper, weaker audit:
 * the verdicts still hold, but fewer problems are found.
 *
 * @param weakSteps     steps of the short PGD run (default 10)
 * @param strongSteps   steps of the long PGD and the APGD runs, also used over the eps grid (default 100)
 * @param restarts      restarts of the long PGD and APGD-CE runs (default 5)
 * @param squareQueries Square's query budget per example (default 5,000)
 * @param squarePInit   Square's initial square fraction (default 0.8)
 * @param noiseDraws    uniform noise draws per example (default 10)
 * @param probePasses   forward passes of the randomness probe (default 5)
 * @param targets       target classes of APGD-T (default 9, AutoAttack's; fewer when there are fewer other classes)
 */
public record AuditBudget(int weakSteps, int strongSteps, int restarts, int squareQueries, float squarePInit, int noiseDraws,
                          int probePasses, int targets) {
    public static final AuditBudget DEFAULT = new AuditBudget(10, 100, 5, 5000, 0.8f, 10, 5, 9);

    /**
     * Checks every budget.
     *
     * @throws dev.feint.FeintException naming the first value below its least
     */
    public AuditBudget {
        atLeast("weakSteps", weakSteps, 1);
        atLeast("strongSteps", strongSteps, weakSteps + 1);
        atLeast("restarts", restarts, 2);
        atLeast("squareQueries", squareQueries, 2);
        if (!(squarePInit > 0 && squarePInit <= 1))
            throw new FeintException("audit: " + FeintException.parameter("squarePInit") + " must be in (0, 1], got " + squarePInit);
        atLeast("noiseDraws", noiseDraws, 1);
        atLeast("probePasses", probePasses, 2);
        atLeast("targets", targets, 1);
    }

    /**
     * The same budget with other PGD steps.
     *
     * @param weak steps of the short run
     * @param strong steps of the long runs, &gt; weak
     * @return the new budget
     */
    public AuditBudget withSteps(int weak, int strong) {
        return new AuditBudget(weak, strong, restarts, squareQueries, squarePInit, noiseDraws, probePasses, targets);
    }

    /**
     * The same budget with other restarts.
     *
     * @param r restarts, &gt;= 2
     * @return the new budget
     */
    public AuditBudget withRestarts(int r) {
        return new AuditBudget(weakSteps, strongSteps, r, squareQueries, squarePInit, noiseDraws, probePasses, targets);
    }

    /**
     * The same budget with another Square budget.
     *
     * @param q queries per example, &gt;= 2
     * @return the new budget
     */
    public AuditBudget withSquareQueries(int q) {
        return new AuditBudget(weakSteps, strongSteps, restarts, q, squarePInit, noiseDraws, probePasses, targets);
    }

    /**
     * The same budget with another number of APGD-T targets.
     *
     * @param t targets, &gt;= 1
     * @return the new budget
     */
    public AuditBudget withTargets(int t) {
        return new AuditBudget(weakSteps, strongSteps, restarts, squareQueries, squarePInit, noiseDraws, probePasses, t);
    }

    private static void atLeast(String param, int v, int min) {
        if (v < min) throw new FeintException("audit: " + FeintException.parameter(param) + " must be >= " + min + ", got " + v);
    }
}
