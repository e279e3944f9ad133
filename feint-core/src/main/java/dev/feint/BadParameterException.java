package dev.feint;

/**
 * A bad value of a library parameter, named as the library spells it ({@code epochs},
 * {@code batchSize}, {@code eps}): the message is the parameter, then what is wrong with it
 * ({@code epochs must be >= 1, got 0}). The CLI puts the flag in the parameter's place
 * ({@code --epochs must be >= 1, got 0}); the library never names a flag. An attack's parameters
 * have their own, richer {@code dev.feint.attack.ParameterException}.
 *
 * <pre>{@code
 * if (epochs < 1) throw new BadParameterException("epochs", "must be >= 1, got " + epochs);
 * }</pre>
 */
public final class BadParameterException extends FeintException {
    /** The parameter as the library spells it, and what is wrong with its value. */
    private final String parameter, problem;

    /**
     * A bad value of {@code parameter}.
     *
     * @param parameter the parameter's name, as the library spells it (a builder method's name)
     * @param problem what is wrong, continuing the sentence after the name: {@code must be >= 1, got 0}
     */
    public BadParameterException(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    /** {@return the parameter's name, as the library spells it} */
    public String parameter() { return parameter; }

    /** {@return what is wrong, the message without the parameter's name} */
    public String problem() { return problem; }
}
