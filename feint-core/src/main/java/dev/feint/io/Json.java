package dev.feint.io;

import dev.feint.io.internal.InputFiles;

import dev.feint.io.internal.AtomicFiles;

import java.nio.file.Path;

/**
 * Strict JSON for headers, configs and reports, without an external library (feint-core is
 * JDK-only).
 *
 * <p>Parsing maps objects to {@code LinkedHashMap<String,Object>} (document order kept),
 * arrays to {@code List<Object>} (empty ones to shared immutable instances), integer literals to {@link Long} when they fit (otherwise
 * {@link Double}), other numbers to {@link Double}, and {@code true/false/null} to
 * {@link Boolean}/{@code null}. It is strict because it reads untrusted files: no comments,
 * trailing commas, duplicate keys, NaN, leading zeros or unescaped control characters, and at
 * most {@value #MAX_DEPTH} nested containers. Errors are {@link dev.feint.FeintException}s that name the
 * source and the line/column.
 *
 * <p>Writing accepts what parsing produces plus other {@link Number}s, {@link CharSequence}s,
 * enums, {@link JsonObject}s, collections and primitive arrays; non-finite numbers are written
 * as {@code null} since JSON has no NaN.
 */
public final class Json {
    /** Deepest nesting of objects/arrays accepted by the parser (and produced by the writer). */
    public static final int MAX_DEPTH = 64;
    /**
     * Most values (objects, arrays, strings, numbers, literals) in one document: about 100 MB of
     * heap at worst, far above any header, spec or report Feint reads.
     */
    public static final int MAX_VALUES = 1_000_000;

    private Json() {}

    /**
     * Parses {@code text}; {@code source} (a file name, "header of x.safetensors") goes into errors.
     *
     * @param text the JSON document
     * @param source what the text is, for error messages
     * @return the value, mapped as the class comment says
     * @throws dev.feint.FeintException if the text is not strict JSON or exceeds the limits
     */
    public static Object parse(String text, String source) {
        return new JsonParser(text, source, MAX_VALUES).parseDocument();
    }

    /**
     * Parses text coming from no particular file.
     *
     * @param text the JSON document
     * @return the value, mapped as the class comment says
     */
    public static Object parse(String text) { return parse(text, "JSON"); }

    /**
     * Reads and parses a UTF-8 file of at most {@code InputFiles.MAX_TEXT_BYTES}; malformed UTF-8 is an error.
     *
     * @param file the JSON file
     * @return the value, mapped as the class comment says
     * @throws dev.feint.FeintException if the file cannot be read, is too large or is not strict JSON
     */
    public static Object read(Path file) {
        return parse(InputFiles.readText(file, InputFiles.MAX_TEXT_BYTES, "a JSON file"), file.toString());
    }

    /**
     * Compact form: no whitespace at all.
     *
     * @param value a value of the kinds the class comment lists
     * @return the JSON text
     */
    public static String write(Object value) { return new JsonWriter(false).write(value); }

    /**
     * Pretty form: two-space indent; arrays holding only scalars stay on one line.
     *
     * @param value a value of the kinds the class comment lists
     * @return the JSON text
     */
    public static String writePretty(Object value) { return new JsonWriter(true).write(value); }

    /**
     * Writes the pretty form plus a trailing newline to {@code file}, atomically.
     *
     * @param file where to write
     * @param value a value of the kinds the class comment lists
     */
    public static void writeFile(Path file, Object value) {
        AtomicFiles.writeString(file, writePretty(value) + "\n");
    }
}
