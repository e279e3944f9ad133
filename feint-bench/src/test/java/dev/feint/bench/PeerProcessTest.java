package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import ai.onnxruntime.OnnxTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peers' own process: its answers parsed and returned, and every way a child can fail one clear error, bounded. */
class PeerProcessTest {
    private static final List<String> SMALL = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:-UseTransparentHugePages");

    @TempDir Path dir;

    @Test
    void onnxRuntimeInItsOwnProcessGivesItsLogitsAndTimesItsOwnRounds() throws Exception {
        Network net = SideBySide.network();
        net.eval();
        Path onnx = dir.resolve("madry.onnx");
        OnnxExport.write(net, onnx);
        Peers.Input x = new Peers.Input(7, 2, 1, 28, 28);
        float[] here;
        try (OrtPeer p = new OrtPeer(onnx, 1); OnnxTensor t = p.input(x.values(), x.dims())) {
            here = p.forward(t);
        }
        PeerProcess child = PeerProcess.start("ONNX Runtime", SMALL);
        try (Peers.Ort ort = child.ort(onnx, 1)) {
            assertEquals(OrtPeer.version(), child.ortVersion());
            assertArrayEquals(here, ort.logits(x), "the child's logits, bit for bit through the protocol");
            try (Peers.Timed f = ort.forward(x)) {
                f.warm(1, 0);
                f.collect();
                long[] r = f.round(3, 0);
                assertEquals(2, r.length);
                assertTrue(r[0] >= 3 && r[0] < 1000, "calls " + r[0]);
                assertTrue(r[1] > 0, "nanoseconds " + r[1]);
                long[] s = f.steady(2, 0, 0);
                assertEquals(3, s.length);
                assertTrue(s[0] > 0 && s[1] >= 2 && s[1] < 1000 && s[2] > 0, java.util.Arrays.toString(s));
            }
        } finally {
            child.close();
        }
        assertFalse(child.alive());
    }

    @Test
    void pyTorchInItsOwnProcessGivesItsLogitsGradientAndSgdStep() throws Exception {
        Peers.Input x = new Peers.Input(7, 2, 1, 28, 28);
        float[] logits, grad, sgd;
        try (Peers here = Peers.inProcess(); Peers.Torch t = here.torch(1)) {
            logits = t.logits(x);
            grad = t.inputGradient(x, 8);
            sgd = t.sgdStepConv1(x, 8);
        }
        PeerProcess child = PeerProcess.start("PyTorch", SMALL);
        try (Peers.Torch t = child.torch(1)) {
            assertEquals(1, t.threads());
            assertTrue(t.version().startsWith("PyTorch "), t.version());
            assertArrayEquals(logits, t.logits(x));
            assertArrayEquals(grad, t.inputGradient(x, 8));
            assertArrayEquals(sgd, t.sgdStepConv1(x, 8));
            try (Peers.Timed pgd = t.pgd(x, 8, 0.3f, 0.01f); Peers.Timed train = t.train(x, 8, 0.01f)) {
                assertEquals(2, pgd.round(2, 0)[0]);
                assertEquals(2, train.round(2, 0)[0]);
            }
        } finally {
            child.close();
        }
    }

    @Test
    void aTorchScriptModelInItsOwnProcessGivesItsLogitsAndInputGradient() throws Exception {
        Path pt = Path.of("src/test/resources/preact/preact-resnet18-w4.pt");
        Peers.Input x = new Peers.Input(3, 2, 3, 32, 32);
        int[] y = {3, 7};
        float[] logits, grad;
        try (Peers here = Peers.inProcess(); Peers.Script s = here.script(pt, 1, PreactBench.CLASSES)) {
            logits = s.logits(x);
            grad = s.inputGradient(x, y);
        }
        PeerProcess child = PeerProcess.start("PyTorch", SMALL);
        try (Peers.Script s = child.script(pt, 1, PreactBench.CLASSES); Peers.Timed g = s.gradient(x, y)) {
            assertArrayEquals(logits, s.logits(x));
            assertArrayEquals(grad, s.inputGradient(x, y));
            assertEquals(1, g.round(1, 0)[0]);
        } finally {
            child.close();
        }
    }

    @Test
    void aChildThatDiesIsOneClearErrorWithItsLastWords() {
        PeerProcess p = PeerProcess.start("ONNX Runtime", withMode("die"), MisbehavingPeer.class.getName(), 30_000_000_000L);
        var e = assertThrows(PeerProcess.Failure.class, p::ortVersion);
        assertTrue(e.getMessage().startsWith("ONNX Runtime in its own process failed at 'ort-version': the process ended (exit code 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("libfake.so: cannot allocate the arena"), e.getMessage());
        assertThrows(PeerProcess.Failure.class, p::ortVersion, "a failed child is not asked again");
        p.close();
    }

    @Test
    void garbageOnTheProtocolIsAnError() {
        PeerProcess p = PeerProcess.start("PyTorch", withMode("garbage"), MisbehavingPeer.class.getName(), 30_000_000_000L);
        var e = assertThrows(PeerProcess.Failure.class, p::ortVersion);
        assertEquals("PyTorch in its own process failed at 'ort-version': garbage on the protocol: hello ort-version", e.getMessage());
        assertFalse(p.alive(), "the child is stopped");
        p.close();
        var s = assertThrows(PeerProcess.Failure.class, () -> PeerProcess.start("PyTorch", withMode("garbage-start"), MisbehavingPeer.class.getName(), 30_000_000_000L));
        assertEquals("PyTorch in its own process failed at 'start': garbage on the protocol: hello from a log line", s.getMessage());
    }

    @Test
    void aSilentChildTimesOut() {
        PeerProcess p = PeerProcess.start("ONNX Runtime", withMode("silent"), MisbehavingPeer.class.getName(), 2_000_000_000L);
        var e = assertThrows(PeerProcess.Failure.class, p::ortVersion);
        assertEquals("ONNX Runtime in its own process failed at 'ort-version': no answer in 2 s", e.getMessage());
        assertFalse(p.alive());
        p.close();
    }

    @Test
    void defaultOptionsKeepTheHeapAndCollectorAndDropTheHugePages() {
        List<String> parent = List.of("--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx8g", "-Xmn512m", "-XX:+UseTransparentHugePages",
                "-Xss8m", "-Dfeint.home=/x");
        assertEquals(List.of("-XX:+UseParallelGC", "-Xmx8g", "-Xmn512m", "-Xss8m", "-XX:-UseTransparentHugePages"), Peers.defaultJavaOptions(parent));
    }

    @Test
    void peersOptionIsChecked() {
        BenchCommand c = new BenchCommand();
        c.peers = "own-process";
        assertEquals(new Peers.Setting(true, null), c.peerSetting());
        c.peerJavaOpts = " -Xmx2g  -XX:+UseSerialGC ";
        assertEquals(new Peers.Setting(true, List.of("-Xmx2g", "-XX:+UseSerialGC")), c.peerSetting());
        c.peers = "in-process";
        assertEquals("--peer-java-opts needs --peers own-process", assertThrows(dev.feint.FeintException.class, c::peerSetting).getMessage());
        c.peers = "elsewhere";
        assertEquals("--peers must be own-process or in-process, got 'elsewhere'", assertThrows(dev.feint.FeintException.class, c::peerSetting).getMessage());
    }

    private static List<String> withMode(String mode) {
        return List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dpeer.mode=" + mode);
    }
}
