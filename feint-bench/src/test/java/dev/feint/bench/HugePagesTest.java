package dev.feint.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher puts the heap on transparent huge pages when the kernel offers them on request
 * (scripts/find-java.sh's {@code feint_huge_pages_opt}, used by ./feint), and the benchmarks' machine
 * line says whether the JVM runs with them.
 */
class HugePagesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String opt(Path setting) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". \"$0\"; feint_huge_pages_opt \"$1\"",
                ROOT.resolve("scripts/find-java.sh").toString(), setting.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void theOptionFollowsTheKernelsSetting(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("scripts/find-java.sh")) && Files.isExecutable(Path.of("/bin/bash")));
        Path madvise = Files.writeString(dir.resolve("madvise"), "always [madvise] never\n");
        Path always = Files.writeString(dir.resolve("always"), "[always] madvise never\n");
        Path never = Files.writeString(dir.resolve("never"), "always madvise [never]\n");
        assertEquals("-XX:+UseTransparentHugePages", opt(madvise));
        assertEquals("-XX:+UseTransparentHugePages", opt(always));
        assertEquals("", opt(never));
        assertEquals("", opt(dir.resolve("missing")));
    }

    @Test
    void theLauncherPassesItBeforeTheUsersOptions() throws Exception {
        Path launcher = ROOT.resolve("feint");
        assumeTrue(Files.isRegularFile(launcher));
        List<String> lines = Files.readAllLines(launcher);
        assertTrue(lines.stream().anyMatch(l -> l.matches("THP=\"\\$\\(feint_huge_pages_opt\\)\"")), "THP is set from feint_huge_pages_opt");
        String exec = lines.stream().filter(l -> l.startsWith("exec \"$JAVA_HOME/bin/java\"")).findFirst().orElseThrow();
        String next = lines.get(lines.indexOf(exec) + 1);
        assertTrue(exec.contains(" $THP "), exec);
        assertTrue(next.contains("${FEINT_JAVA_OPTS:-}"), "FEINT_JAVA_OPTS comes after $THP, so -XX:-UseTransparentHugePages there wins");
    }

    @Test
    void theMachineLineTakesTheLastSetting() {
        assertFalse(SideBySide.Machine.hugePages(List.of("-Xmx8g")));
        assertTrue(SideBySide.Machine.hugePages(List.of("-XX:+UseTransparentHugePages")));
        assertFalse(SideBySide.Machine.hugePages(List.of("-XX:+UseTransparentHugePages", "-Xss8m", "-XX:-UseTransparentHugePages")));
        assertTrue(SideBySide.Machine.hugePages(List.of("-XX:-UseTransparentHugePages", "-XX:+UseTransparentHugePages")));
    }
}
