package dev.feint.eval.audit;

/**
 * A figure against two thresholds: the verdict and the threshold that decided it (the one it
 * crossed, or the warn threshold when it passed). A NaN figure (nothing to measure) is a WARN.
 */
record Grade(Verdict verdict, double threshold) {
    /** Figures are differences of k/n in double (0.62 - 0.61 > 0.01): compare with a slack far below one example of any n. */
    static final double SLACK = 1e-9;

    /** PASS up to warnAbove, WARN up to failAbove, FAIL beyond. */
    static Grade higherIsWorse(double figure, double warnAbove, double failAbove) {
        if (Double.isNaN(figure)) return new Grade(Verdict.WARN, warnAbove);
        if (figure > failAbove + SLACK) return new Grade(Verdict.FAIL, failAbove);
        if (figure > warnAbove + SLACK) return new Grade(Verdict.WARN, warnAbove);
        return new Grade(Verdict.PASS, warnAbove);
    }

    /** PASS down to warnBelow, WARN down to failBelow, FAIL below. */
    static Grade lowerIsWorse(double figure, double warnBelow, double failBelow) {
        if (Double.isNaN(figure)) return new Grade(Verdict.WARN, warnBelow);
        if (figure < failBelow - SLACK) return new Grade(Verdict.FAIL, failBelow);
        if (figure < warnBelow - SLACK) return new Grade(Verdict.WARN, warnBelow);
        return new Grade(Verdict.PASS, warnBelow);
    }

    static String pct(double f) { return Double.isNaN(f) ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * f); }
}
