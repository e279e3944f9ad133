package dev.feint;

/**
 * A bad value of a library parameter, named as the library spells it ({@code epochs},
 * {@code batchSize}, {@code eps}): the message is the parameter, then what is wrong with it
 * ({@code epochs must be >= 1, got 0}). The CLI puts the flag in the parameter's place
 * ({@code --epochs must be >= 1, got 0}), and in the place of any other parameter the problem
 * names through {@link FeintException#parameter}; the library never names a flag. An attack's
 * parameters have their own, richer {@code dev.feint.attack.ParameterException}.
 *
 * <pre>{@code
 * if (epochs < 1) throw new BadParameterException("epochs", "must be >= 1, got " + epochs);
 * }</pre>
 */
public final class BadParameterException extends FeintException {
    /** The parameter as the library spells it. */
    private final String parameter;

    /**
     * A bad value of {@code parameter}.
     *
     * @param parameter the parameter's name, as the library spells it (a builder method's name)
     * @param problem what is wrong, continuing the sentence after the name: {@code must be >= 1, got 0},
     *                or {@code : no journal at f} (a leading colon joins without a space); other
     *                parameters in it named through {@link FeintException#parameter}
     */
    public BadParameterException(String parameter, String problem) {
        super(parameter(parameter) + (problem.startsWith(":") ? "" : " ") + problem);
        this.parameter = parameter;
    }

    /** {@return the parameter's name, as the library spells it} */
    public String parameter() { return parameter; }
}
