package dev.feint;

/**
 * A user mistake (bad flag, bad file, bad parameter). The message names what was wrong, where,
 * and what was expected; the CLI prints it without a stack trace and exits with code 2.
 */
public class FeintException extends RuntimeException {
    /**
     * A mistake the message describes.
     *
     * @param message what was wrong, where, and what was expected (printed as it is)
     */
    public FeintException(String message) { super(message); }

    /**
     * A mistake found through another error.
     *
     * @param message what was wrong, where, and what was expected (printed as it is)
     * @param cause the underlying error (an I/O failure, say), kept for debugging
     */
    public FeintException(String message, Throwable cause) { super(message, cause); }
}
