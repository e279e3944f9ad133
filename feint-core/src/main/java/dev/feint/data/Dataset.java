package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.List;

/**
 * An immutable labelled image set: {@code images} [N,C,H,W] with values in [0,1] and one label
 * in {@code [0, numClasses)} per image. Every view ({@link #slice}, {@link #subset},
 * {@link #example}) copies, so nothing handed out aliases this dataset's storage; do not write
 * into {@link #images()}'s data.
 */
public final class Dataset {
    private final String name;
    private final Tensor images;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;

    public Dataset(String name, Tensor images, int[] labels, int numClasses, List<String> classNames) {
        if (images.rank() != 4) throw new IllegalArgumentException("images must be [N,C,H,W], got " + images.shape());
        if (images.dim(0) != labels.length)
            throw new IllegalArgumentException(images.dim(0) + " images but " + labels.length + " labels");
        if (classNames.size() != numClasses)
            throw new IllegalArgumentException(numClasses + " classes but " + classNames.size() + " class names");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " outside 0.." + (numClasses - 1));
        this.name = name;
        this.images = images;
        this.labels = labels.clone();
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
    }

    public String name() { return name; }

    /** All images [N,C,H,W]; shared storage, treat as read-only. */
    public Tensor images() { return images; }

    /** A copy of the labels. */
    public int[] labels() { return labels.clone(); }

    public int label(int i) { return labels[checkIndex(i)]; }

    public int numClasses() { return numClasses; }

    public List<String> classNames() { return classNames; }

    public int size() { return labels.length; }

    /** [C,H,W] of one example. */
    public int[] exampleShape() {
        int[] d = images.dims();
        return new int[] {d[1], d[2], d[3]};
    }

    /** Examples {@code [from, to)} as a new dataset. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to)
            throw new FeintException("slice [" + from + ", " + to + ") of dataset '" + name + "' (expected 0 <= from <= to <= " + size() + ")");
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) idx[i] = from + i;
        return subset(idx);
    }

    /** The examples at {@code indices} (in that order, repeats allowed) as a new dataset. */
    public Dataset subset(int[] indices) {
        return new Dataset(name, gather(indices), gatherLabels(indices), numClasses, classNames);
    }

    /** The examples at {@code indices} as a batch. */
    public Batch batch(int[] indices) {
        return new Batch(gather(indices), gatherLabels(indices), indices.clone());
    }

    /** Example {@code i} as a one-example batch [1,C,H,W]. */
    public Tensor example(int i) { return gather(new int[] {checkIndex(i)}); }

    private Tensor gather(int[] indices) {
        int[] d = images.dims();
        int per = d[1] * d[2] * d[3];
        if ((long) per * indices.length > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("subset of " + indices.length + " examples is too large");
        float[] src = images.data();
        float[] out = new float[per * indices.length];
        for (int k = 0; k < indices.length; k++)
            System.arraycopy(src, checkIndex(indices[k]) * per, out, k * per, per);
        return new Tensor(Shape.of(indices.length, d[1], d[2], d[3]), out);
    }

    private int[] gatherLabels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) out[k] = labels[checkIndex(indices[k])];
        return out;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length)
            throw new FeintException("example index " + i + " of dataset '" + name + "' (expected 0.." + (labels.length - 1) + ")");
        return i;
    }

    /** How many examples each class has (index = label). */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) counts[y]++;
        return counts;
    }

    @Override public String toString() {
        return "Dataset[" + name + ", " + images.shape() + ", " + numClasses + " classes]";
    }
}
