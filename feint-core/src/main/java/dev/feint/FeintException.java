package dev.feint;

import java.util.function.UnaryOperator;

/**
 * A user mistake (bad flag, bad file, bad parameter). The message names what was wrong, where,
 * and what was expected; the CLI prints it without a stack trace and exits with code 2.
 *
 * <p>A message that names a library parameter (in a hint, say) names it through
 * {@link #parameter}: {@link #getMessage} spells it as the library does, the CLI as the flag of
 * the command that ran ({@code allowNonfinite} / {@code --allow-nonfinite}), so the library never
 * names a flag.
 *
 * <pre>{@code
 * throw new FeintException(file + ": holds NaN (expected finite weights; " + FeintException.parameter("allowNonfinite")
 *         + " loads it anyway)");
 * }</pre>
 */
public class FeintException extends RuntimeException {
    /** Around a parameter's name in a message: private-use characters, which no file name or value holds by chance. */
    private static final char OPEN = '\uE000', CLOSE = '\uE001';

    /**
     * A mistake the message describes.
     *
     * @param message what was wrong, where, and what was expected (printed as it is, but for its {@link #parameter}s)
     */
    public FeintException(String message) { super(message); }

    /**
     * A mistake found through another error.
     *
     * @param message what was wrong, where, and what was expected (printed as it is, but for its {@link #parameter}s)
     * @param cause the underlying error (an I/O failure, say), kept for debugging
     */
    public FeintException(String message, Throwable cause) { super(message, cause); }

    /**
     * A library parameter named in a message, for the reader to spell: the library as {@code name},
     * the CLI as its flag.
     *
     * @param name the parameter, as the library spells it (a builder method's or a Java parameter's name)
     * @return the reference to put in the message
     */
    public static String parameter(String name) { return OPEN + name + CLOSE; }

    /**
     * {@code cause}'s message after {@code prefix}, with its parameters still to be spelt (unlike
     * {@code prefix + cause.getMessage()}).
     *
     * @param prefix what the message is about: {@code "--arch net.json: "}
     * @param cause the mistake, kept as the cause
     * @return the mistake with the longer message
     */
    public static FeintException within(String prefix, FeintException cause) {
        return new FeintException(prefix + cause.template(), cause);
    }

    /**
     * The message with each parameter spelt by {@code spelling}.
     *
     * @param spelling a parameter's name to the words that stand for it (the CLI: its flag)
     * @return the message
     */
    public String message(UnaryOperator<String> spelling) {
        String t = template();
        if (t == null || t.indexOf(OPEN) < 0) return t;
        StringBuilder sb = new StringBuilder(t.length());
        int from = 0;
        for (int open; (open = t.indexOf(OPEN, from)) >= 0; ) {
            int close = t.indexOf(CLOSE, open);
            if (close < 0) break;
            sb.append(t, from, open).append(spelling.apply(t.substring(open + 1, close)));
            from = close + 1;
        }
        return sb.append(t, from, t.length()).toString();
    }

    /** {@return the message, each parameter named as the library spells it} */
    @Override public String getMessage() { return message(UnaryOperator.identity()); }

    /** The message as given, its parameters marked. */
    private String template() { return super.getMessage(); }
}
