package dev.feint.io.internal;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, for writers handed to {@link AtomicFiles}.
 *
 * @param <T> what it consumes (an output stream)
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /**
     * Consumes {@code t}.
     *
     * @param t the value, typically the stream to write to
     * @throws IOException if writing fails
     */
    void accept(T t) throws IOException;
}
