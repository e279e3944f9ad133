package dev.feint.cli;

import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Running out of memory on an input is a user error: exit 2, naming the input files and the
 * flags that help. A child JVM with a 64 MiB heap evaluates a valid 80 MB model (within every
 * bound of the format, but not that heap).
 */
class OutOfMemoryCliTest {
    @TempDir Path dir;

    @Test
    void aModelLargerThanTheHeapExitsTwoNamingTheFiles() throws Exception {
        Path data = TinyTestSet.write(dir.resolve("data")), model = dir.resolve("wide.safetensors");
        // 36 -> 2^19 -> 3: 20M parameters, 80 MB of float32.
        Network net = Network.create(new Architecture("wide", new int[] {1, 6, 6}, 3, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 36, "out", 1 << 19), LayerSpec.of("linear", "in", 1 << 19, "out", 3))), 1);
        NetworkFile.save(model, net, List.of("cat", "dog", "t shirt"), Map.of());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("jdk.module.path", "") + File.pathSeparator + System.getProperty("java.class.path"),
                Main.class.getName(), "eval", "--model", model.toString(), "--data", data.toString(), "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        assertEquals(2, p.exitValue(), err);
        String line = err.lines().filter(l -> l.startsWith("feint:")).findFirst().orElse(err);
        assertTrue(line.contains("out of memory on the input --model " + model + ", --data " + data), line);
        assertTrue(line.contains("the heap is ") && line.contains("--batch") && line.contains("--limit") && line.contains("FEINT_HEAP"), line);
        assertFalse(err.contains("internal error") || err.contains("\tat "), err);
    }

    @Test
    void theMessageNamesEveryInputFlagInBothSpellings() {
        String m = Main.outOfMemory(new String[] {"attack", "--model=m.safetensors", "--data", "d", "--out-json", "o.json", "--arch"}, 64L << 20);
        assertEquals("feint: out of memory on the input --model m.safetensors, --data d (the heap is 64 MiB; expected inputs that fit it): "
                + "try a smaller --batch or --limit, or raise the heap with FEINT_HEAP", m);
    }
}
