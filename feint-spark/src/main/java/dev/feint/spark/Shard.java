package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One written NPY shard: partition {@code partition} holds the examples [from, to) in
 * {@code file} (float32 [to - from, C, H, W]), of {@code bytes} bytes with SHA-256 {@code sha256}.
 * Its marker {@code part-NNNNN.json} is written after the shard, so a shard with a marker whose
 * size and checksum match the file is complete.
 */
record Shard(int partition, int from, int to, String file, long bytes, String sha256) implements Serializable {
    static String npyName(int partition) { return String.format(Locale.ROOT, "part-%05d.npy", partition); }

    static String markerName(int partition) { return String.format(Locale.ROOT, "part-%05d.json", partition); }

    Map<String, Object> toJson(int[] exampleShape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", (long) partition);
        m.put("file", file);
        m.put("from", (long) from);
        m.put("to", (long) to);
        List<Long> shape = new java.util.ArrayList<>(List.of((long) (to - from)));
        for (int s : exampleShape) shape.add((long) s);
        m.put("shape", shape);
        m.put("bytes", bytes);
        m.put("sha256", sha256);
        return m;
    }

    /**
     * The complete shard of {@code slice} in dir, or null when its marker or file is missing, or
     * the marker names another range, or the file's size or checksum differ from the marker's.
     */
    static Shard complete(Path dir, Slice slice) {
        Path marker = dir.resolve(markerName(slice.partition())), npy = dir.resolve(npyName(slice.partition()));
        if (!Files.isRegularFile(marker) || !Files.isRegularFile(npy)) return null;
        try {
            if (Files.size(marker) > 1 << 16) return null;
            if (!(Json.parse(Files.readString(marker), marker.toString()) instanceof Map<?, ?> m)) return null;
            Shard s = new Shard(slice.partition(), slice.from(), slice.to(), npyName(slice.partition()),
                    m.get("bytes") instanceof Number b ? b.longValue() : -1, String.valueOf(m.get("sha256")));
            boolean same = Long.valueOf(slice.from()).equals(m.get("from")) && Long.valueOf(slice.to()).equals(m.get("to"))
                    && Files.size(npy) == s.bytes() && s.sha256().equals(sha256(npy));
            return same ? s : null;
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
