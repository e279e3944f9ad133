package dev.feint.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuPlacementTest {
    /** On Linux with two or more vCPUs for this thread; elsewhere the moves are off by design. */
    private static CpuPlacement placement() {
        assumeTrue(CpuPlacement.available(), "sched_getcpu/sched_setaffinity not linkable here");
        CpuPlacement p = new CpuPlacement();
        assumeTrue(p.allowedCpus() >= 2, "this thread may run on one vCPU only");
        return p;
    }

    @Test
    void aMoveLeavesTheVcpuAndKeepsTheThreadFreeToRunAnywhere() {
        CpuPlacement p = placement();
        int allowed = p.allowedCpus();
        for (int i = 0; i < 20; i++) {
            int here = CpuPlacement.cpu();
            assertTrue(p.moveOff(here), "move " + i + " off vCPU " + here);
            assertNotEquals(here, CpuPlacement.cpu(), "move " + i + ": still on vCPU " + here);
            assertEquals(allowed, p.allowedCpus(), "move " + i + ": the thread's affinity was not put back");
        }
    }

    @Test
    void aVcpuTheThreadMayNotUseIsNotLeft() {
        CpuPlacement p = placement();
        int here = CpuPlacement.cpu();
        assertTrue(p.pinTo(here));
        try {
            assertEquals(1, p.allowedCpus());
            assertFalse(new CpuPlacement().moveOff(here), "the only vCPU allowed cannot be left");
            assertEquals(here, CpuPlacement.cpu());
        } finally {
            p.unpin();
        }
        assertFalse(p.moveOff(-1));
    }
}
