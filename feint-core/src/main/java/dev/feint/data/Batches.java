package dev.feint.data;

import dev.feint.FeintException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over a dataset, in order or shuffled. A shuffled epoch is a Fisher-Yates
 * permutation drawn from {@code SplittableRandom(seed ^ mix(epoch))}, so the same seed and
 * epoch give the same batches on any machine, and each epoch visits every example exactly once.
 * Immutable; {@link #epoch} can be iterated any number of times. {@link #prefetched} reads (and
 * decodes) the next batch on a background thread while the caller works on the current one: the
 * same batches, with reading off the critical path.
 *
 * <pre>{@code
 * Batches batches = Batches.shuffled(train, 128, seed);
 * for (int e = 0; e < epochs; e++) for (Batch b : batches.epoch(e)) step(b.x(), b.y());
 * }</pre>
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final boolean prefetch;

    private Batches(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast, boolean prefetch) {
        if (batchSize < 1) throw new FeintException("batch size " + batchSize + " (expected >= 1)");
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.prefetch = prefetch;
    }

    /**
     * Batches in dataset order (for evaluation).
     *
     * @param data the dataset
     * @param batchSize examples per batch (the last batch may be smaller)
     * @return the batching
     */
    public static Batches inOrder(Dataset data, int batchSize) { return new Batches(data, batchSize, false, 0, false, false); }

    /**
     * Batches in a fresh seeded order each epoch (for training).
     *
     * @param data the dataset
     * @param batchSize examples per batch (the last batch may be smaller)
     * @param seed the seed of the orders; the same seed gives the same order at each epoch
     * @return the batching
     */
    public static Batches shuffled(Dataset data, int batchSize, long seed) { return new Batches(data, batchSize, true, seed, false, false); }

    /** {@return the same batches without the last one when it is smaller than the batch size} */
    public Batches dropLast() { return new Batches(data, batchSize, shuffle, seed, true, prefetch); }

    /** {@return the same batches, each read on a background thread while the one before is in use} */
    public Batches prefetched() { return new Batches(data, batchSize, shuffle, seed, dropLast, true); }

    /** {@return the number of examples per batch} */
    public int batchSize() { return batchSize; }

    /** {@return the number of batches in one epoch} */
    public int count() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The order in which {@code epoch} visits the examples (a permutation of 0..N-1).
     *
     * @param epoch the epoch, 0-based
     * @return the dataset indices in visiting order (the identity when not shuffled)
     */
    public int[] order(int epoch) {
        int n = data.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (!shuffle) return idx;
        SplittableRandom rng = new SplittableRandom(seed ^ mix(epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /**
     * The batches of one epoch, gathered lazily as they are iterated.
     *
     * @param epoch the epoch, 0-based (picks the order when shuffled)
     * @return the batches, read as the iteration reaches them
     */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private final int batches = count();
            private int next;
            private CompletableFuture<Batch> ahead = prefetch && batches > 0 ? read(0) : null;

            @Override public boolean hasNext() { return next < batches; }

            @Override public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                if (!prefetch) return gather(next++);
                CompletableFuture<Batch> current = ahead;
                next++;
                ahead = next < batches ? read(next) : null;
                try {
                    return current.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error er) throw er;
                    throw e;
                }
            }

            private Batch gather(int b) {
                int from = b * batchSize;
                return data.batch(Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length)));
            }

            private CompletableFuture<Batch> read(int b) {
                return CompletableFuture.supplyAsync(() -> gather(b), r -> Thread.ofVirtual().name("feint-prefetch").start(r));
            }
        };
    }

    /** SplitMix64's finalizer: spreads consecutive epochs over unrelated seeds. */
    static long mix(long z) {
        z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
