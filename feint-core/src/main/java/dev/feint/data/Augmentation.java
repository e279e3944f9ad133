package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training augmentation, the standard CIFAR recipe: a random crop of the image padded with
 * {@code padding} zero pixels on every side (torchvision's {@code RandomCrop(size, padding=p)}),
 * then a horizontal flip with probability 1/2 ({@code RandomHorizontalFlip()}). Each example's
 * draws come from {@code SplittableRandom} seeded by (seed, epoch, dataset index), never from
 * its position in the batch, so a run does not depend on the batch size or thread count and
 * every epoch sees fresh crops. Shapes are kept. Immutable.
 *
 * <pre>{@code
 * Augmentation aug = Augmentation.parse("crop4,flip");
 * for (Batch b : Batches.shuffled(train, 128, seed).epoch(e)) step(aug.apply(b, seed, e));
 * }</pre>
 *
 * @param padding zero pixels added on each side before a crop back to the original size (0: no crop)
 * @param flip    flip left-right with probability 1/2
 */
public record Augmentation(int padding, boolean flip) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false);

    /**
     * Checks the padding.
     *
     * @throws dev.feint.FeintException if the padding is outside 0..64
     */
    public Augmentation {
        if (padding < 0 || padding > 64) throw new FeintException("augmentation crop padding " + padding + " (expected 0..64)");
    }

    /**
     * Parses {@code none}, or a comma-separated list of {@code cropN} (pad N, random crop) and {@code flip}.
     *
     * @param spec the text, e.g. {@code crop4,flip}
     * @return the augmentation
     * @throws dev.feint.FeintException naming the unknown step
     */
    public static Augmentation parse(String spec) {
        int pad = 0;
        boolean flip = false;
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("none")) return NONE;
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            if (p.equals("flip")) flip = true;
            else if (p.matches("crop\\d{1,2}")) pad = Integer.parseInt(p.substring(4));
            else throw new FeintException("augmentation '" + spec + "': unknown step '" + p + "' (expected none, or cropN and/or flip, e.g. crop4,flip)");
        }
        return new Augmentation(pad, flip);
    }

    /** {@return true if this changes nothing (no crop, no flip)} */
    public boolean isIdentity() { return padding == 0 && !flip; }

    /**
     * The batch with every example augmented by its own draws (the input batch is not changed).
     * The draws come from (seed, epoch, example index), so they do not depend on the batching.
     *
     * @param b the batch, {@code [B,C,H,W]}
     * @param seed the run's seed
     * @param epoch the epoch, so each epoch sees other crops and flips
     * @return a new augmented batch, or {@code b} itself for {@link #NONE}
     */
    public Batch apply(Batch b, long seed, int epoch) {
        if (isIdentity()) return b;
        Tensor x = b.x();
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), per = c * h * w;
        float[] in = x.data(), out = new float[in.length];
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(Batches.mix(seed ^ Batches.mix(epoch + 1L) ^ Batches.mix(0x5DEECE66DL + b.indices()[i])));
            int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            boolean mirror = flip && rng.nextBoolean();
            example(in, out, i * per, c, h, w, dy, dx, mirror);
        }
        return new Batch(new Tensor(x.shape(), out), b.y(), b.indices());
    }

    /** out(y, x) = in(y + dy, x' + dx), x' = x or w-1-x (mirror), zero outside the image. */
    static void example(float[] in, float[] out, int off, int c, int h, int w, int dy, int dx, boolean mirror) {
        for (int ch = 0; ch < c; ch++) {
            int base = off + ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= h) continue; // the padding: zeros
                for (int x = 0; x < w; x++) {
                    int sx = (mirror ? w - 1 - x : x) + dx;
                    if (sx >= 0 && sx < w) out[base + y * w + x] = in[base + sy * w + sx];
                }
            }
        }
    }

    /** {@code none}, or e.g. {@code crop4,flip}: the text {@link #parse} reads. */
    @Override public String toString() {
        List<String> parts = new ArrayList<>();
        if (padding > 0) parts.add("crop" + padding);
        if (flip) parts.add("flip");
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
