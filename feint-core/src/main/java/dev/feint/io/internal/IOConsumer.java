package dev.feint.io.internal;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, for writers handed to {@link AtomicFiles}. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T t) throws IOException;
}
