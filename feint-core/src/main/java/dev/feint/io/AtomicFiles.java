package dev.feint.io;

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

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary
 * file in the target's directory (same file system, so the rename is atomic), is synced, and
 * is then moved over the target. A crash or exception leaves the old file intact and no
 * temporary behind. Every file Feint writes goes through here.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Creates the parent directories, lets {@code body} write the content, then replaces
     * {@code target}. The stream handed to {@code body} is buffered; closing it is optional.
     * I/O failures become a {@link FeintException} naming the file; exceptions thrown by
     * {@code body} propagate unchanged. Either way the temporary file is deleted.
     */
    public static void write(Path target, IOConsumer<? super OutputStream> body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) throw new FeintException(target + ": is a directory (expected a file path to write)");
        Path tmp = null;
        try {
            if (dir != null) Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            // Temp files are created owner-only; the result should read like any file we write.
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: keep its defaults.
            }
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 BufferedOutputStream bos = new BufferedOutputStream(fos, 1 << 16)) {
                body.accept(new FilterOutputStream(bos) {
                    @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

                    @Override public void close() throws IOException { out.flush(); }
                });
                bos.flush();
                fos.getFD().sync();
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new FeintException(target + ": cannot write (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure matters more than a leftover temporary
                }
            }
        }
    }

    public static void writeBytes(Path target, byte[] bytes) { write(target, out -> out.write(bytes)); }

    public static void writeString(Path target, String text) { writeBytes(target, text.getBytes(StandardCharsets.UTF_8)); }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
