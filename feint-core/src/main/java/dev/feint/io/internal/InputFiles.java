package dev.feint.io.internal;

import dev.feint.FeintException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opening files from strangers: the path must be a regular file (a FIFO or device would block
 * or never end), and text is read with a size limit decided before reading, as strict UTF-8.
 */
public final class InputFiles {
    /** Default limit for small text inputs (architecture specs, class lists): 16 MiB. */
    public static final long MAX_TEXT_BYTES = 16L << 20;

    private InputFiles() {}

    /**
     * Throws a {@link FeintException} unless {@code file} is a regular file; {@code expected} says what it should be.
     *
     * @param file the input file
     * @param expected what the file should be ("a .npy file"), for the message
     */
    public static void requireRegular(Path file, String expected) {
        if (Files.isRegularFile(file)) return;
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file))
            throw new FeintException(file + ": no such file (expected " + expected + ")");
        String kind = Files.isDirectory(file) ? "a directory" : "not a regular file (a pipe or device?)";
        throw new FeintException(file + ": is " + kind + " (expected " + expected + ")");
    }

    /**
     * Reads a UTF-8 text file of at most {@code maxBytes} bytes (at most 2 GB: a Java array).
     *
     * @param file the input file
     * @param maxBytes the largest size accepted
     * @param expected what the file should be, for messages
     * @return the text
     * @throws FeintException if the file is missing, too large, unreadable or not UTF-8
     */
    public static String readText(Path file, long maxBytes, String expected) {
        byte[] bytes = readBytes(file, maxBytes, expected);
        String text = utf8(bytes);
        if (text == null) throw new FeintException(file + ": not valid UTF-8 (expected " + expected + " in UTF-8)");
        return text;
    }

    /**
     * Reads a regular file of at most {@code maxBytes} bytes whole (at most 2 GB: a Java array).
     *
     * @param file the input file
     * @param maxBytes the largest size accepted
     * @param expected what the file should be, for messages
     * @return the content
     * @throws FeintException if the file is missing, too large or unreadable
     */
    public static byte[] readBytes(Path file, long maxBytes, String expected) {
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("maxBytes " + maxBytes);
        requireRegular(file, expected);
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > maxBytes) throw tooBig(file, size, maxBytes, expected);
            // The size may change after the check: never read more than the limit allows.
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) throw tooBig(file, bytes.length, maxBytes, expected);
            return bytes;
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        }
    }

    /**
     * Decodes strict UTF-8, or returns null if {@code bytes} is not valid UTF-8.
     *
     * @param bytes the encoded text
     * @return the text, or null if it is malformed
     */
    public static String utf8(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        // The decoder replaces malformed input with U+FFFD; only then is the (rare) round trip needed.
        if (s.indexOf('\uFFFD') >= 0 && !Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes)) return null;
        return s;
    }

    private static FeintException tooBig(Path file, long size, long max, String expected) {
        return new FeintException(file + ": is " + (size > max ? "over " : "") + size + " bytes (expected " + expected
                + " of at most " + max + " bytes)");
    }
}
