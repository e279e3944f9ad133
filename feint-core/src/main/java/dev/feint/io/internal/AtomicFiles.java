package dev.feint.io.internal;

import dev.feint.FeintException;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary
 * file in the target's directory (same file system, so the rename is atomic), is synced, and
 * is then moved over the target. A crash or exception leaves the old file intact and no
 * temporary behind (a shutdown hook removes the temporaries of a run stopped by SIGINT or
 * SIGTERM). Every file Feint writes goes through here; {@link Outputs} makes several outputs
 * of one command all-or-nothing.
 */
public final class AtomicFiles {
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : TEMPORARIES) deleteTree(p);
        }, "feint-temporaries"));
    }

    private AtomicFiles() {}

    /**
     * Creates the parent directories, lets {@code body} write the content, then replaces
     * {@code target}. The stream handed to {@code body} is buffered; closing it is optional.
     * I/O failures become a {@link FeintException} naming the file; exceptions thrown by
     * {@code body} propagate unchanged. Either way the temporary file is deleted.
     *
     * @param target the file to create or replace
     * @param body writes the whole content to the stream it is given
     */
    public static void write(Path target, IOConsumer<? super OutputStream> body) {
        Path tmp = stage(target, body);
        try {
            move(tmp, target.toAbsolutePath());
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } finally {
            discard(tmp);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} atomically, as {@link #write}.
     *
     * @param target the file to create or replace
     * @param bytes the whole content
     */
    public static void writeBytes(Path target, byte[] bytes) { write(target, out -> out.write(bytes)); }

    /**
     * Writes {@code text} as UTF-8 to {@code target} atomically, as {@link #write}.
     *
     * @param target the file to create or replace
     * @param text the whole content
     */
    public static void writeString(Path target, String text) { writeBytes(target, text.getBytes(StandardCharsets.UTF_8)); }

    /** Writes {@code body}'s content to a synced temporary beside {@code target} and returns it (not yet moved). */
    static Path stage(Path target, IOConsumer<? super OutputStream> body) {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) throw new FeintException(target + ": is a directory (expected a file path to write)");
        Path tmp = null;
        boolean done = false;
        try {
            tmp = temporary(abs, false);
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 BufferedOutputStream bos = new BufferedOutputStream(fos, 1 << 16)) {
                body.accept(new FilterOutputStream(bos) {
                    @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

                    @Override public void close() throws IOException { out.flush(); }
                });
                bos.flush();
                fos.getFD().sync();
            }
            done = true;
            return tmp;
        } catch (IOException e) {
            throw cannotWrite(target, e);
        } finally {
            if (!done) discard(tmp);
        }
    }

    /** A new temporary file or directory in {@code target}'s directory (created if missing), tracked for the shutdown hook. */
    static Path temporary(Path target, boolean directory) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        String prefix = "." + abs.getFileName() + ".";
        Path tmp = directory ? Files.createTempDirectory(dir, prefix) : Files.createTempFile(dir, prefix, ".tmp");
        TEMPORARIES.add(tmp);
        // Temporaries are created owner-only; the result should read like any file we write.
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: keep its defaults.
        }
        return tmp;
    }

    /** Deletes a temporary (file or tree) if it is still there; never throws. */
    static void discard(Path tmp) {
        if (tmp == null) return;
        deleteTree(tmp);
        TEMPORARIES.remove(tmp);
    }

    static void deleteTree(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
                }
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // the original failure matters more than a leftover temporary
        }
    }

    static FeintException cannotWrite(Path target, IOException e) {
        return new FeintException(target + ": cannot write (" + IoMessages.reason(e) + ")", e);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
