package dev.feint.attack;

import dev.feint.FeintException;

/**
 * A bad attack parameter, named as the library knows it ({@code steps}, {@code stepSize}); the
 * CLI turns it into a message about its flag with {@link #parameter()}, {@link #value()} and
 * {@link #expected()}. Messages: {@code pgd: parameter steps = -1, expected a whole number >= 1},
 * {@code square: parameter eps is required}, {@code fgsm: parameter pixels is not taken (it takes eps, loss)}.
 */
public final class ParameterException extends FeintException {
    /** What was wrong: a bad value, a missing value, or a parameter the attack does not take. */
    public enum Kind {
        /** A value of the wrong kind or out of range. */
        INVALID,
        /** A required value that was not given. */
        MISSING,
        /** A parameter the attack does not take. */
        NOT_TAKEN
    }

    /** The attack's name, the parameter's, the value as given and what was expected. */
    private final String attack, parameter, value, expected;
    /** What was wrong. */
    private final Kind kind;

    private ParameterException(Kind kind, String attack, String parameter, String value, String expected, String message) {
        super(message);
        this.kind = kind;
        this.attack = attack;
        this.parameter = parameter;
        this.value = value;
        this.expected = expected;
    }

    /**
     * A bad value.
     *
     * @param attack the attack's name
     * @param parameter the parameter's name
     * @param value the value as given
     * @param expected what was expected, for the message
     * @return the exception
     */
    public static ParameterException invalid(String attack, String parameter, Object value, String expected) {
        return new ParameterException(Kind.INVALID, attack, parameter, String.valueOf(value), expected,
                attack + ": parameter " + parameter + " = " + value + ", expected " + expected);
    }

    /**
     * A value that is required but was not given.
     *
     * @param attack the attack's name
     * @param parameter the parameter's name
     * @return the exception
     */
    public static ParameterException missing(String attack, String parameter) {
        return new ParameterException(Kind.MISSING, attack, parameter, null, null, attack + ": parameter " + parameter + " is required");
    }

    /**
     * {@code takes}: what the attack does take, for the message.
     *
     * @param attack the attack's name
     * @param parameter the parameter's name
     * @param takes what the attack does take, for the message
     * @return the exception
     */
    public static ParameterException notTaken(String attack, String parameter, String takes) {
        return new ParameterException(Kind.NOT_TAKEN, attack, parameter, null, takes,
                attack + ": parameter " + parameter + " is not taken (it takes " + takes + ")");
    }

    /** {@return what was wrong} */
    public Kind kind() { return kind; }

    /** {@return the attack's name} */
    public String attack() { return attack; }

    /** {@return the parameter's name, as the library spells it} */
    public String parameter() { return parameter; }

    /** {@return the value as given (null unless {@link Kind#INVALID})} */
    public String value() { return value; }

    /** {@return what was expected (INVALID), or what the attack takes (NOT_TAKEN)} */
    public String expected() { return expected; }
}
