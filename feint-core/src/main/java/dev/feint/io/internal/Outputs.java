package dev.feint.io.internal;

import dev.feint.FeintException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of one command, all-or-nothing. Destinations are checked before the work starts
 * ({@link #check}); each output is written in full to a temporary beside its target (a file,
 * or a folder built in a temporary folder); {@link #commit} then moves them all into place, and
 * if one move fails the ones already moved are put back as they were. Closing without a commit
 * (an exception on the way) removes every temporary and leaves the previous outputs untouched.
 *
 * <pre>{@code
 * Outputs.check(json, markdown);                  // before hours of work
 * try (Outputs out = new Outputs()) {
 *     out.file(json, s -> s.write(bytes));
 *     out.folder(reportDir, dir -> HtmlReport.writeInto(dir, ...));
 *     out.commit();
 * }
 * }</pre>
 */
public final class Outputs implements AutoCloseable {
    /** Writes the content of a folder output into the (temporary) folder it is given. */
    @FunctionalInterface
    public interface FolderBody {
        /**
         * Writes the folder's content.
         *
         * @param dir the temporary folder, empty, that replaces the target on commit
         * @throws IOException if writing fails
         */
        void write(Path dir) throws IOException;
    }

    private record Staged(Path target, Path tmp, boolean folder) {}

    private final List<Staged> staged = new ArrayList<>();
    private boolean committed;

    /** A set of outputs with nothing staged yet. */
    public Outputs() {}

    /**
     * Checks that each target can be written: not a directory where a file goes (or the reverse),
     * and its nearest existing ancestor is a directory this process can create files in. Nothing
     * is created. Null targets (outputs not asked for) are skipped.
     *
     * @param targets the output paths, any of them null
     * @throws FeintException naming the first target that cannot be written
     */
    public static void check(Path... targets) {
        for (Path t : targets) {
            if (t == null) continue;
            Path abs = t.toAbsolutePath();
            Path dir = abs.getParent();
            while (dir != null && !Files.exists(dir)) dir = dir.getParent();
            if (dir == null || !Files.isDirectory(dir))
                throw new FeintException(t + ": cannot write (" + (dir == null ? "no existing parent" : dir + " is not a directory") + ")");
            if (!Files.isWritable(dir))
                throw new FeintException(t + ": cannot write (permission denied in " + dir + ")");
        }
    }

    /**
     * Checks that {@code target} can take a file (see {@link #check}) and is not an existing directory.
     *
     * @param target the output file, or null
     */
    public static void checkFile(Path target) {
        if (target != null && Files.isDirectory(target)) throw new FeintException(target + ": is a directory (expected a file path to write)");
        check(target);
    }

    /**
     * Stages a file output: {@code body} writes its full content now, to a temporary.
     *
     * @param target the file the output replaces on commit
     * @param body writes the whole content
     */
    public void file(Path target, IOConsumer<? super OutputStream> body) {
        requireOpen();
        staged.add(new Staged(target, AtomicFiles.stage(target, body), false));
    }

    /**
     * Stages a folder output: {@code body} fills a temporary folder now; the folder replaces {@code target} on commit.
     *
     * @param target the folder the output replaces on commit
     * @param body fills the temporary folder
     */
    public void folder(Path target, FolderBody body) {
        requireOpen();
        if (Files.exists(target) && !Files.isDirectory(target))
            throw new FeintException(target + ": is a file (expected a folder path for the report)");
        Path tmp = null;
        try {
            tmp = AtomicFiles.temporary(target, true);
            body.write(tmp);
            // Replacing a folder deletes what it held: only ever a previous output of the same kind.
            if (Files.isDirectory(target)) {
                java.util.Set<String> mine = names(tmp);
                for (String n : names(target))
                    if (!mine.contains(n))
                        throw new FeintException(target + ": holds '" + n + "', which this output would delete (expected an empty "
                                + "folder or a previous one of the same kind)");
            }
            staged.add(new Staged(target, tmp, true));
            tmp = null;
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(target, e);
        } finally {
            AtomicFiles.discard(tmp);
        }
    }

    private static java.util.Set<String> names(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return new java.util.HashSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Moves every staged output into place; on a failure, restores the outputs already replaced. */
    public void commit() {
        requireOpen();
        List<Path[]> done = new ArrayList<>(); // {target, backup or null}
        Path current = null;
        try {
            for (Staged s : staged) {
                current = s.target;
                Path target = s.target.toAbsolutePath();
                Path backup = null;
                if (!s.folder && Files.isDirectory(target))
                    throw new java.nio.file.FileSystemException(target.toString(), null, "a directory is in the way");
                if (s.folder && Files.exists(target)) {
                    // A non-empty folder cannot be renamed over: move the old one aside first.
                    backup = AtomicFiles.temporary(target, true);
                    Files.delete(backup);
                    AtomicFiles.move(target, backup);
                } else if (Files.exists(target)) {
                    backup = AtomicFiles.temporary(target, false);
                    Files.delete(backup);
                    try {
                        Files.createLink(backup, target);
                    } catch (UnsupportedOperationException | IOException noLinks) {
                        Files.copy(target, backup);
                    }
                }
                done.add(new Path[] {target, backup});
                AtomicFiles.move(s.tmp, target);
            }
        } catch (IOException e) {
            restore(done);
            throw AtomicFiles.cannotWrite(current, e);
        }
        committed = true;
        for (Path[] d : done) AtomicFiles.discard(d[1]);
    }

    private static void restore(List<Path[]> done) {
        for (int i = done.size() - 1; i >= 0; i--) {
            Path target = done.get(i)[0], backup = done.get(i)[1];
            try {
                if (backup == null) {
                    AtomicFiles.deleteTree(target);
                } else {
                    if (Files.isDirectory(backup)) AtomicFiles.deleteTree(target);
                    AtomicFiles.move(backup, target);
                }
            } catch (IOException ignored) {
                // best effort: the backup stays beside the target under its temporary name
            }
        }
    }

    private void requireOpen() {
        if (committed) throw new IllegalStateException("outputs already committed");
    }

    /** Removes every temporary not committed. */
    @Override public void close() {
        if (!committed) for (Staged s : staged) AtomicFiles.discard(s.tmp);
        staged.clear();
    }
}
