package dev.feint.tensor.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's cache sizes that the blocked kernels size their blocks to, read once from Linux's sysfs. */
final class CacheSizes {
    /** Assumed where sysfs does not say (not Linux, a container hiding it): the smaller L2 seen on the test machines. */
    static final long DEFAULT_L2 = 512 * 1024;
    private static final long L2 = read(Path.of("/sys/devices/system/cpu/cpu0/cache"), 2, DEFAULT_L2);

    private CacheSizes() {}

    /** {@return the per-core L2 cache in bytes} */
    static long l2Bytes() { return L2; }

    /**
     * The size of the unified or data cache of the given level under {@code dir} (index0, index1, ...
     * with files level, type and size such as "512K"), or {@code fallback} when none is readable.
     */
    static long read(Path dir, int level, long fallback) {
        for (int i = 0; i < 8; i++) {
            Path idx = dir.resolve("index" + i);
            try {
                if (Integer.parseInt(Files.readString(idx.resolve("level")).trim()) != level) continue;
                if (Files.readString(idx.resolve("type")).trim().equals("Instruction")) continue;
                long bytes = parseSize(Files.readString(idx.resolve("size")).trim());
                if (bytes > 0) return bytes;
            } catch (IOException | RuntimeException e) {
                // Missing or unreadable: try the next index, then fall back.
            }
        }
        return fallback;
    }

    /** "512K", "1M", "32768" as bytes; -1 if not a size. */
    static long parseSize(String s) {
        if (s.isEmpty()) return -1;
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long mult = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : unit == 'G' ? 1024L * 1024 * 1024 : 1;
        String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long v = Long.parseLong(digits);
            return v > 0 ? v * mult : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
