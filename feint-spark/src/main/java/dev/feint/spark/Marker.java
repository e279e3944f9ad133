package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.internal.IOConsumer;
import dev.feint.io.Json;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The marker {@code part-NNNNN.json} of a partition's files in a job folder: partition
 * {@code partition} holds the examples [from, to) of the job whose record hashes to {@code job},
 * in {@code files} (each with its size and SHA-256). A task writes its files first and the
 * marker last, each moved into place atomically, so a partition whose marker names the job
 * and the range and whose files have the marker's sizes and checksums is complete.
 */
record Marker(int partition, int from, int to, String job, List<FileSum> files) implements Serializable {
    /** One written file: its name in the folder, size and SHA-256 (hex). */
    record FileSum(String file, long bytes, String sha256) implements Serializable {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("bytes", bytes);
            m.put("sha256", sha256);
            return m;
        }

        boolean matches(Path dir) throws IOException {
            Path f = dir.resolve(file);
            return Files.isRegularFile(f) && Files.size(f) == bytes && sha256.equals(Marker.sha256(f));
        }

        /** Writes {@code name} in dir atomically (a temporary beside it, then moved), counting and hashing what is written. */
        static FileSum write(Path dir, String name, IOConsumer<? super OutputStream> body) {
            MessageDigest md = digest();
            long[] n = new long[1];
            AtomicFiles.write(dir.resolve(name), s -> {
                DigestOutputStream ds = new DigestOutputStream(s, md);
                body.accept(new FilterOutputStream(ds) {
                    @Override public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        n[0] += len;
                    }

                    @Override public void write(int b) throws IOException {
                        out.write(b);
                        n[0]++;
                    }
                });
                ds.flush();
            });
            return new FileSum(name, n[0], HexFormat.of().formatHex(md.digest()));
        }
    }

    Marker {
        files = List.copyOf(files);
    }

    /** The name of partition p's file with this extension ("json": the marker). */
    static String name(int partition, String ext) { return String.format(Locale.ROOT, "part-%05d.%s", partition, ext); }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", (long) partition);
        m.put("from", (long) from);
        m.put("to", (long) to);
        m.put("job", job);
        List<Object> fs = new ArrayList<>();
        for (FileSum f : files) fs.add(f.toJson());
        m.put("files", fs);
        return m;
    }

    /** The file of this marker with the given name. */
    FileSum file(String name) {
        for (FileSum f : files) if (f.file().equals(name)) return f;
        throw new IllegalStateException("partition " + partition + " has no " + name);
    }

    /** Writes the marker into dir (atomically, after the files it lists). */
    void write(Path dir) { AtomicFiles.writeString(dir.resolve(name(partition, "json")), Json.writePretty(toJson()) + "\n"); }

    /**
     * The marker of slice's partition in dir if the partition is complete: the marker names job
     * and the slice's range, and lists exactly {@code names} with matching sizes and checksums;
     * else null (missing, torn, of another job or range: the partition runs again).
     */
    static Marker complete(Path dir, Slice slice, String job, List<String> names) {
        Path marker = dir.resolve(name(slice.partition(), "json"));
        if (!Files.isRegularFile(marker)) return null;
        try {
            if (Files.size(marker) > 1 << 16) return null;
            if (!(Json.parse(Files.readString(marker), marker.toString()) instanceof Map<?, ?> m)) return null;
            if (!job.equals(m.get("job")) || !Long.valueOf(slice.from()).equals(m.get("from")) || !Long.valueOf(slice.to()).equals(m.get("to"))
                    || !(m.get("files") instanceof List<?> listed) || listed.size() != names.size())
                return null;
            List<FileSum> files = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (!(listed.get(i) instanceof Map<?, ?> f) || !names.get(i).equals(f.get("file")) || !(f.get("bytes") instanceof Long b)
                        || !(f.get("sha256") instanceof String h))
                    return null;
                FileSum s = new FileSum(names.get(i), b, h);
                if (!s.matches(dir)) return null;
                files.add(s);
            }
            return new Marker(slice.partition(), slice.from(), slice.to(), job, files);
        } catch (IOException | FeintException e) {
            return null;                               // unreadable: not complete, the partition runs again
        }
    }

    /** The SHA-256 of a file, in hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
