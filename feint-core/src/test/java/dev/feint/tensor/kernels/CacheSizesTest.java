package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache sizes read from a sysfs-like tree, and the L2-sized GEMM column block derived from them. */
class CacheSizesTest {
    private static void index(Path dir, int i, int level, String type, String size) throws Exception {
        Path idx = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(idx.resolve("level"), level + "\n");
        Files.writeString(idx.resolve("type"), type + "\n");
        Files.writeString(idx.resolve("size"), size + "\n");
    }

    @Test
    void readsTheUnifiedCacheOfTheLevelAskedFor(@TempDir Path dir) throws Exception {
        index(dir, 0, 1, "Instruction", "64K");          // listed first, and not the one wanted
        index(dir, 1, 1, "Data", "32K");
        index(dir, 2, 2, "Unified", "512K");
        index(dir, 3, 3, "Unified", "32768K");
        assertEquals(512 * 1024, CacheSizes.read(dir, 2, 1));
        assertEquals(32L * 1024 * 1024, CacheSizes.read(dir, 3, 1));
        assertEquals(32 * 1024, CacheSizes.read(dir, 1, 1));
    }

    @Test
    void fallsBackWhenAbsentOrUnreadable(@TempDir Path dir) throws Exception {
        assertEquals(777, CacheSizes.read(dir.resolve("missing"), 2, 777));
        index(dir, 0, 2, "Unified", "lots");
        assertEquals(777, CacheSizes.read(dir, 2, 777));
    }

    @Test
    void parsesSizes() {
        assertEquals(512 * 1024, CacheSizes.parseSize("512K"));
        assertEquals(1024 * 1024, CacheSizes.parseSize("1M"));
        assertEquals(32768, CacheSizes.parseSize("32768"));
        assertEquals(-1, CacheSizes.parseSize(""));
        assertEquals(-1, CacheSizes.parseSize("0K"));
        assertEquals(-1, CacheSizes.parseSize("x"));
    }

    @Test
    void columnBlockIsAQuarterOfL2InWholePanels() {
        // 512 KiB L2: a quarter is 128 KiB = KC (256) rows of 128 floats.
        assertEquals(131072 / (4 * Gemm.KC) / Gemm.NR * Gemm.NR, Gemm.columnsFor(131072));
        assertEquals(Gemm.NR, Gemm.columnsFor(1));
        assertEquals(Gemm.NC, Gemm.columnsFor(Long.MAX_VALUE / 2));
        assertTrue(Gemm.NC_L2 % Gemm.NR == 0 && Gemm.NC_L2 >= Gemm.NR && Gemm.NC_L2 <= Gemm.NC);
    }
}
