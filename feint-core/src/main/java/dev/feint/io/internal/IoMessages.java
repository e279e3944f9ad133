package dev.feint.io.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason an I/O operation failed, in words a user reads: "permission denied", "no space
 * left on device", never a Java class name or a temporary file's name.
 */
public final class IoMessages {
    private IoMessages() {}

    /**
     * The reason {@code e} happened, for a message such as "x.npy: cannot read (permission denied)".
     *
     * @param e the failure
     * @return a short lower-case phrase
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "a file of that name is in the way";
        if (e instanceof NotDirectoryException) return "a parent is not a directory";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        String m = e.getMessage();
        if (m == null || m.isBlank()) return "I/O error";
        // The OS's sentence ("No space left on device") in the lower case of the others; a name stays as it is.
        return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
                ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
    }
}
