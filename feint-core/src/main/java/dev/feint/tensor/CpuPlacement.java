package dev.feint.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Which vCPU the current thread runs on, and a move off one (issue 19), through the C library's
 * {@code sched_getcpu} and {@code sched_setaffinity} (Linux, with native access enabled for this
 * module; elsewhere, or if they cannot be linked, {@link #cpu} is -1 and {@link #moveOff} does
 * nothing). Why: on the benchmark VM the scheduler often queues {@link Parallel}'s woken worker on
 * the caller's vCPU (its wake-up packs onto a busy vCPU; perf sched, docs/runs/turn32-2026-12-04
 * and load2x-2026-12-04): the two then take turns on one vCPU, with a background load's thread as
 * a third, while a thread of that load has the other to itself. A worker that finds itself there
 * moves to another vCPU the thread may run on, and is free to be balanced again right after: its
 * affinity is put back at once. {@code -Dfeint.parallel.move=false} turns the moves off.
 *
 * <p>One instance per thread (its masks); the static methods are thread-safe.
 */
final class CpuPlacement {
    /** Whether workers move off the caller's vCPU ({@code -Dfeint.parallel.move}, default true). */
    static final boolean ENABLED = !"false".equals(System.getProperty("feint.parallel.move"));
    /** A {@code cpu_set_t}: 1024 CPUs, as glibc's. */
    private static final long MASK_BYTES = 128;

    private static final MethodHandle GETCPU, GETAFFINITY, SETAFFINITY;

    static {
        MethodHandle g = null, ga = null, sa = null;
        // Only where native access is granted (the launcher's --enable-native-access=ALL-UNNAMED for the jar on the
        // class path; --enable-native-access=dev.feint.core on the module path): elsewhere linking would print the
        // JDK's restricted-method warning into the application's standard error.
        if (ENABLED && System.getProperty("os.name", "").startsWith("Linux") && CpuPlacement.class.getModule().isNativeAccessEnabled()) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                FunctionDescriptor aff = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                // sched_getcpu reads the vDSO: no system call, a few nanoseconds.
                g = linker.downcallHandle(libc.find("sched_getcpu").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT), Linker.Option.critical(false));
                ga = linker.downcallHandle(libc.find("sched_getaffinity").orElseThrow(), aff);
                sa = linker.downcallHandle(libc.find("sched_setaffinity").orElseThrow(), aff);
                if ((int) g.invokeExact() < 0) g = null;
            } catch (Throwable e) {
                g = null;   // not linkable here (another C library, native access denied): no moves
            }
        }
        GETCPU = g;
        GETAFFINITY = g == null ? null : ga;
        SETAFFINITY = g == null ? null : sa;
    }

    /** The thread's own masks (one instance per thread). */
    private final MemorySegment allowed, without;

    CpuPlacement() {
        allowed = GETCPU == null ? null : Arena.global().allocate(MASK_BYTES);
        without = GETCPU == null ? null : Arena.global().allocate(MASK_BYTES);
    }

    /** {@return whether this JVM can read and move its threads' vCPUs} */
    static boolean available() { return GETCPU != null; }

    /** {@return the vCPU the current thread runs on, or -1 if unknown} */
    static int cpu() {
        if (GETCPU == null) return -1;
        try {
            return (int) GETCPU.invokeExact();
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Moves the current thread to another vCPU it may run on than {@code cpu}, then lets it run on
     * all of them again (the scheduler does not move it back by itself: it stays where it landed
     * until a balance moves it).
     *
     * @param cpu the vCPU to leave
     * @return whether the thread was moved (false: no other vCPU allowed, or not available)
     */
    boolean moveOff(int cpu) {
        if (GETCPU == null || cpu < 0 || cpu >= MASK_BYTES * 8) return false;
        try {
            if ((int) GETAFFINITY.invokeExact(0, MASK_BYTES, allowed) != 0) return false;
            MemorySegment.copy(allowed, 0, without, 0, MASK_BYTES);
            long off = cpu / 8;
            byte b = without.get(ValueLayout.JAVA_BYTE, off);
            if ((b & (1 << (cpu % 8))) == 0) return false;   // not ours to leave
            without.set(ValueLayout.JAVA_BYTE, off, (byte) (b & ~(1 << (cpu % 8))));
            if (isEmpty(without)) return false;
            // Returns once the thread runs on an allowed vCPU.
            if ((int) SETAFFINITY.invokeExact(0, MASK_BYTES, without) != 0) return false;
            int restored = (int) SETAFFINITY.invokeExact(0, MASK_BYTES, allowed);   // the old mask, which just worked
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Tests: runs the current thread on {@code cpu} only, until {@link #unpin}; whether it could. */
    boolean pinTo(int cpu) {
        if (GETCPU == null || cpu < 0 || cpu >= MASK_BYTES * 8) return false;
        try {
            if ((int) GETAFFINITY.invokeExact(0, MASK_BYTES, allowed) != 0) return false;
            without.fill((byte) 0);
            without.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            return (int) SETAFFINITY.invokeExact(0, MASK_BYTES, without) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Tests: lets the thread run where it could before {@link #pinTo}. */
    void unpin() {
        try {
            int ignored = (int) SETAFFINITY.invokeExact(0, MASK_BYTES, allowed);
        } catch (Throwable e) {
            throw new IllegalStateException("could not restore the thread's CPU affinity", e);
        }
    }

    /** {@return how many vCPUs the current thread may run on, or -1 if unknown} (tests) */
    int allowedCpus() {
        if (GETCPU == null) return -1;
        try {
            if ((int) GETAFFINITY.invokeExact(0, MASK_BYTES, without) != 0) return -1;
        } catch (Throwable e) {
            return -1;
        }
        int n = 0;
        for (long i = 0; i < MASK_BYTES; i += 8) n += Long.bitCount(without.get(ValueLayout.JAVA_LONG_UNALIGNED, i));
        return n;
    }

    private static boolean isEmpty(MemorySegment mask) {
        for (long i = 0; i < MASK_BYTES; i += 8) if (mask.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) return false;
        return true;
    }
}
