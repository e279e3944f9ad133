package dev.feint.bench;

import dev.feint.FeintException;
import dev.feint.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code feint bench --preact} without the 45 MB files: the agreement check on the narrow w4 network
 * (the TorchScript module of scripts/make-preact-bench-model.py at width 4, checked in, and feint-core's
 * preact fixture, the same seeded weights), and the flags' and files' errors.
 */
class PreactBenchTest {
    @TempDir static Path dir;

    @BeforeAll static void files() throws Exception {
        Files.copy(Path.of("src/test/resources/preact/preact-resnet18-w4.pt"), dir.resolve("preact-resnet18-w4.pt"));
        Files.copy(Path.of("../feint-core/src/test/resources/nn/preact-resnet18-w4.safetensors"), dir.resolve("preact-resnet18-w4.safetensors"));
        DjlPeer.configure(1);
    }

    @Test void feintAgreesWithPyTorchOnTheSameWeightsAndADifferenceIsCaught() {
        Path[] f = PreactBench.files(dir, 4);
        Network net = PreactBench.load(f[1], 4);
        try (TorchScriptPeer torch = new TorchScriptPeer(f[0], 1, PreactBench.CLASSES)) {
            PreactBench.Agreement a = PreactBench.agreement(net, torch, f[0], f[1], 4, 1);
            assertTrue(a.ok(), a.toString());
            assertTrue(a.logits() < 1e-5f && a.gradient() < 1e-5f && a.trainLogits() < 1e-5f && a.sgdUpdate() < 1e-4f, a.toString());
            net.body().namedBuffers().get("bn.running_mean")[0] += 0.5f;     // eval mode only: train-mode figures unchanged
            PreactBench.Agreement b = PreactBench.agreement(net, torch, f[0], f[1], 4, 1);
            assertFalse(b.ok(), b.toString());
            assertTrue(b.logits() > SideBySide.LOGIT_TOL && b.trainLogits() < 1e-5f, b.toString());
        }
    }

    @Test void badFlagsAndMissingOrWrongFilesSayWhatIsExpected() {
        assertEquals("--width 4 needs --preact", error("--width", "4"));
        assertEquals("--width must be in 1..99, got 0", error("--preact", dir.toString(), "--width", "0"));
        assertEquals("--preact cannot be combined with --imported or --contention", error("--preact", dir.toString(), "--contention"));
        String missing = error("--preact", dir.toString(), "--width", "8");
        assertTrue(missing.contains(dir.resolve("preact-resnet18-w8.pt") + " not found") && missing.contains("make-preact-bench-model.py " + dir + " 8"),
                missing);
        FeintException e = assertThrows(FeintException.class, () -> PreactBench.load(dir.resolve("preact-resnet18-w4.safetensors"), 8));
        assertTrue(e.getMessage().contains("tensor conv1.weight has 108 values, expected 216"), e.getMessage());
    }

    private static String error(String... args) {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).parseArgs(args);
        return assertThrows(FeintException.class, c::call).getMessage();
    }
}
