package dev.feint.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundLoadTest {
    @Test
    void theLoadJvmRunsItsThreadsUntilClosed() throws Exception {
        BackgroundLoad load = BackgroundLoad.start(1);
        ProcessHandle child;
        try {
            assertTrue(load.alive());
            assertEquals(1, load.threads());
            child = ProcessHandle.current().children().findFirst().orElseThrow();
            // Busy: the child's CPU time grows while we wait. Waited for up to 30 s rather than
            // timed, since on a machine loaded by other jobs the child may get a few % of a core;
            // a load JVM that idles never gets there.
            long t0 = child.info().totalCpuDuration().orElseThrow().toMillis(), t1 = t0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (t1 - t0 < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                t1 = child.info().totalCpuDuration().orElseThrow().toMillis();
            }
            assertTrue(t1 - t0 >= 200, "load JVM used " + (t1 - t0) + " ms of CPU in 30 s");
        } finally {
            load.close();
        }
        assertFalse(load.alive());
        assertFalse(child.isAlive());
    }

    @Test
    void badThreadCountIsRefused() {
        assertEquals("load threads must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> BackgroundLoad.start(0)).getMessage());
    }

    @Test
    void summaryGivesRatiosAndWhatEachEngineKept() {
        List<Map<String, Object>> alone = List.of(row(1, 2, 300.0, 200.0), row(32, 2, 100.0, null));
        List<Map<String, Object>> loaded = List.of(row(1, 2, 150.0, 50.0), row(32, 2, 80.0, null));
        var out = new ByteArrayOutputStream();
        List<Object> rows = ContentionBench.summary(alone, loaded, new PrintStream(out));
        @SuppressWarnings("unchecked") Map<String, Object> r0 = (Map<String, Object>) rows.get(0), r1 = (Map<String, Object>) rows.get(1);
        assertEquals(1.5, (Double) r0.get("ratioAlone"), 1e-12);
        assertEquals(3.0, (Double) r0.get("ratioLoaded"), 1e-12);
        assertEquals(0.5, (Double) r0.get("feintKept"), 1e-12);
        assertEquals(0.25, (Double) r0.get("onnxRuntimeKept"), 1e-12);
        assertEquals(0.8, (Double) r1.get("feintKept"), 1e-12);
        assertNull(r1.get("ratioLoaded"));
        assertTrue(out.toString().contains("n/a"), out.toString());
    }

    private static Map<String, Object> row(int batch, int threads, Double feint, Double ort) {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("batch", batch);
        m.put("threads", threads);
        m.put("feintForwardImagesPerSec", feint);
        m.put("onnxRuntimeForwardImagesPerSec", ort);
        return m;
    }
}
