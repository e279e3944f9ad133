package dev.feint.tensor;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * A scope, on the current thread, whose activation and intermediate-gradient arrays are reused
 * by the next scope instead of allocated afresh (issue 19): one forward pass, or one forward and
 * backward pass to the input, as an attack's model call runs. Ops take their outputs from
 * {@link #floats} and {@link #ints}; inside a scope these come from the arrays the previous scope
 * on this thread handed out (zeroed, same length), outside one they are plain new arrays.
 *
 * <p>The rule that keeps it safe: <b>nothing handed out inside a scope may be used after the scope
 * closes</b>. Closing gives every array of the scope back for reuse, so whoever opens a scope
 * copies out what it returns (logits, losses) or writes it into arrays allocated outside (the
 * caller's gradient buffer). Only activations and the gradients of intermediates come from here,
 * never parameters, their gradients, a leaf's gradient or {@link Tensor#derived} forms. Each
 * thread has its own arrays, so two threads may run scopes on one model at once; an array is
 * never shared between them. A scope opened inside another is a scope of its own: closing it gives
 * its arrays back to the enclosing scope's pool, so a training step (the outer scope) that runs an
 * attack's ten gradient passes (inner scopes) holds one pass's arrays for them, not ten. The pool
 * keeps the arrays of the last two outermost scopes at most, behind a soft reference (the collector
 * may take them when memory runs short).
 *
 * <pre>{@code
 * try (var arena = Arena.open()) {
 *     float[] logits = net.forward(x).data().clone();   // the copy outlives the scope
 * }
 * }</pre>
 */
public final class Arena implements AutoCloseable {
    private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<SoftReference<Pool>> POOL = new ThreadLocal<>();

    /**
     * Free arrays by length: those the last scope used, then those it left unused (kept for one
     * more scope, so a call of another kind or batch size in between does not drop them).
     */
    private static final class Pool {
        /** Given back by nested scopes of the open outermost one (taken first: they were just used). */
        final HashMap<Integer, ArrayDeque<float[]>> returnedFloats = new HashMap<>();
        final HashMap<Integer, ArrayDeque<int[]>> returnedInts = new HashMap<>();
        final HashMap<Integer, ArrayDeque<float[]>> floats = new HashMap<>(), olderFloats = new HashMap<>();
        final HashMap<Integer, ArrayDeque<int[]>> ints = new HashMap<>(), olderInts = new HashMap<>();
    }

    private static <T> T take(HashMap<Integer, ArrayDeque<T>> a, HashMap<Integer, ArrayDeque<T>> b,
                              HashMap<Integer, ArrayDeque<T>> c, int n) {
        T v = poll(a, n);
        if (v == null) v = poll(b, n);
        return v != null ? v : poll(c, n);
    }

    private static <T> T poll(HashMap<Integer, ArrayDeque<T>> m, int n) {
        ArrayDeque<T> q = m.get(n);
        return q == null ? null : q.poll();
    }

    private static <T> void add(HashMap<Integer, ArrayDeque<T>> m, int n, T v) {
        m.computeIfAbsent(n, k -> new ArrayDeque<>()).add(v);
    }

    /** The enclosing scope, null for the outermost. */
    private final Arena parent;
    private final Pool free;
    private final ArrayList<float[]> usedFloats = new ArrayList<>();
    private final ArrayList<int[]> usedInts = new ArrayList<>();

    private Arena(Arena parent, Pool free) {
        this.parent = parent;
        this.free = free;
    }

    /**
     * {@return a scope opened on this thread; inside an open one, a nested scope whose arrays go
     * back to the enclosing one's pool when it closes} Close it with try-with-resources.
     */
    public static Arena open() {
        Arena cur = CURRENT.get();
        if (cur != null) {
            Arena a = new Arena(cur, cur.free);
            CURRENT.set(a);
            return a;
        }
        SoftReference<Pool> ref = POOL.get();
        Pool p = ref == null ? null : ref.get();
        Arena a = new Arena(null, p != null ? p : new Pool());
        POOL.remove();                // the scope owns the free arrays until it closes
        CURRENT.set(a);
        return a;
    }

    /** {@return whether a scope is open on this thread} */
    public static boolean active() { return CURRENT.get() != null; }

    /**
     * {@return a zeroed float[n]: from the open scope's arrays when there is one, else a new array}
     *
     * @param n the length
     */
    public static float[] floats(int n) {
        return floats(n, true);
    }

    /**
     * {@return a float[n] whose contents are undefined, as {@link #floats} without the zeroing}: for
     * an output its kernel writes in full (a batch-64 convolution's output is megabytes, and
     * zeroing it was one more pass over memory than the kernel's own).
     *
     * @param n the length
     */
    public static float[] floatsToOverwrite(int n) {
        return floats(n, false);
    }

    /** A float[n] from the pool (zeroed if {@code zero}; a new array is zero anyway), or a new one outside a scope. */
    private static float[] floats(int n, boolean zero) {
        Arena a = CURRENT.get();
        if (a == null || n == 0) return new float[n];
        float[] f = take(a.free.returnedFloats, a.free.floats, a.free.olderFloats, n);
        if (f == null) f = new float[n];
        else if (zero) zero(f, f.length);
        a.usedFloats.add(f);
        return f;
    }

    /** Floats zeroed in one piece at most: a larger array (a layer's gradient, MBs) is zeroed over the worker threads. */
    private static final int ZERO_PIECE = 1 << 18;

    /** f[0, n) = 0: over the worker threads when large (a serial fill of a batch's activation gradient held the other thread idle). */
    private static void zero(float[] f, int n) {
        if (n < 2 * ZERO_PIECE) {
            Arrays.fill(f, 0, n, 0f);
            return;
        }
        int pieces = (n + ZERO_PIECE - 1) / ZERO_PIECE;
        Parallel.forRange(pieces, 1, (chunk, from, to) -> Arrays.fill(f, from * ZERO_PIECE, Math.min(n, to * ZERO_PIECE), 0f));
    }

    /**
     * {@return a zeroed int[n], as {@link #floats}}
     *
     * @param n the length
     */
    public static int[] ints(int n) {
        return ints(n, true);
    }

    /**
     * {@return an int[n] whose contents are undefined, as {@link #floatsToOverwrite}}
     *
     * @param n the length
     */
    public static int[] intsToOverwrite(int n) {
        return ints(n, false);
    }

    private static int[] ints(int n, boolean zero) {
        Arena a = CURRENT.get();
        if (a == null || n == 0) return new int[n];
        int[] v = take(a.free.returnedInts, a.free.ints, a.free.olderInts, n);
        if (v == null) v = new int[n];
        else if (zero) Arrays.fill(v, 0);
        a.usedInts.add(v);
        return v;
    }

    /**
     * Ends the scope. A nested one gives every array it handed out back to the enclosing scope's
     * pool (for the rest of that scope and its next nested ones). The outermost one makes every
     * array of its scope and of its nested ones free for the next scope on this thread; free
     * arrays it did not use are kept for one more scope, then dropped, so the pool holds no more
     * than two scopes' working sets. Closing a scope that is not the innermost open one (or twice)
     * does nothing.
     */
    @Override public void close() {
        if (CURRENT.get() != this) return;
        if (parent != null) {
            CURRENT.set(parent);
            for (float[] f : usedFloats) add(free.returnedFloats, f.length, f);
            for (int[] v : usedInts) add(free.returnedInts, v.length, v);
            usedFloats.clear();
            usedInts.clear();
            return;
        }
        CURRENT.remove();
        Pool next = new Pool();
        for (float[] f : usedFloats) add(next.floats, f.length, f);
        for (int[] v : usedInts) add(next.ints, v.length, v);
        free.returnedFloats.forEach((n, q) -> q.forEach(f -> add(next.floats, n, f)));
        free.returnedInts.forEach((n, q) -> q.forEach(v -> add(next.ints, n, v)));
        free.floats.forEach((n, q) -> { if (!q.isEmpty()) next.olderFloats.put(n, q); });
        free.ints.forEach((n, q) -> { if (!q.isEmpty()) next.olderInts.put(n, q); });
        usedFloats.clear();
        usedInts.clear();
        POOL.set(new SoftReference<>(next));
    }
}
