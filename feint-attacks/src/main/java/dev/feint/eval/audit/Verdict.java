package dev.feint.eval.audit;

/** The outcome of one audit check, ordered from good to bad so that the summary is the worst one. */
public enum Verdict {
    /** The figure is where a sound evaluation puts it. */
    PASS,
    /** Suspicious or informative: read the message before quoting the robust accuracy. */
    WARN,
    /** The evaluation cannot be trusted as it stands: the message says what to change. */
    FAIL;

    /**
     * The worse of the two.
     *
     * @param other the other verdict
     * @return the worse of this and {@code other}
     */
    public Verdict and(Verdict other) { return compareTo(other) >= 0 ? this : other; }
}
