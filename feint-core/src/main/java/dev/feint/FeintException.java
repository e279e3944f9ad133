package dev.feint;

/**
 * A user mistake (bad flag, bad file, bad parameter). The message names what was wrong, where,
 * and what was expected; the CLI prints it without a stack trace and exits with code 2.
 */
public class FeintException extends RuntimeException {
    public FeintException(String message) { super(message); }

    public FeintException(String message, Throwable cause) { super(message, cause); }
}
