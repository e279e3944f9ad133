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
 * never shared between them. Nested scopes join the outermost one, which alone gives the arrays
 * back. The pool keeps the arrays of the last two scopes at most, behind a soft reference
 * (the collector may take them when memory runs short).
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
        final HashMap<Integer, ArrayDeque<float[]>> floats = new HashMap<>(), olderFloats = new HashMap<>();
        final HashMap<Integer, ArrayDeque<int[]>> ints = new HashMap<>(), olderInts = new HashMap<>();
    }

    private static <T> T take(HashMap<Integer, ArrayDeque<T>> a, HashMap<Integer, ArrayDeque<T>> b, int n) {
        ArrayDeque<T> q = a.get(n);
        T v = q == null ? null : q.poll();
        if (v != null) return v;
        q = b.get(n);
        return q == null ? null : q.poll();
    }

    private final boolean outermost;
    private final Pool free;
    private final ArrayList<float[]> usedFloats = new ArrayList<>();
    private final ArrayList<int[]> usedInts = new ArrayList<>();

    private Arena(boolean outermost, Pool free) {
        this.outermost = outermost;
        this.free = free;
    }

    /** {@return a scope opened on this thread; inside an open one, a scope that joins it} Close it with try-with-resources. */
    public static Arena open() {
        if (CURRENT.get() != null) return new Arena(false, null);
        SoftReference<Pool> ref = POOL.get();
        Pool p = ref == null ? null : ref.get();
        Arena a = new Arena(true, p != null ? p : new Pool());
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
        float[] f = take(a.free.floats, a.free.olderFloats, n);
        if (f == null) f = new float[n];
        else if (zero) Arrays.fill(f, 0f);
        a.usedFloats.add(f);
        return f;
    }

    /**
     * {@return a zeroed int[n], as {@link #floats}}
     *
     * @param n the length
     */
    public static int[] ints(int n) {
        Arena a = CURRENT.get();
        if (a == null || n == 0) return new int[n];
        int[] v = take(a.free.ints, a.free.olderInts, n);
        if (v == null) v = new int[n];
        else Arrays.fill(v, 0);
        a.usedInts.add(v);
        return v;
    }

    /**
     * Ends the scope (the outermost one): every array it handed out becomes free for the next
     * scope on this thread; free arrays it did not use are kept for one more scope, then dropped,
     * so the pool holds no more than two scopes' working sets.
     */
    @Override public void close() {
        if (!outermost || CURRENT.get() != this) return;
        CURRENT.remove();
        Pool next = new Pool();
        for (float[] f : usedFloats) next.floats.computeIfAbsent(f.length, k -> new ArrayDeque<>()).add(f);
        for (int[] v : usedInts) next.ints.computeIfAbsent(v.length, k -> new ArrayDeque<>()).add(v);
        free.floats.forEach((n, q) -> { if (!q.isEmpty()) next.olderFloats.put(n, q); });
        free.ints.forEach((n, q) -> { if (!q.isEmpty()) next.olderInts.put(n, q); });
        usedFloats.clear();
        usedInts.clear();
        POOL.set(new SoftReference<>(next));
    }
}
