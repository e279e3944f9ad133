package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable labelled image set: examples {@code [C,H,W]} with values in [0,1], read from an
 * {@link ExampleSource} a batch at a time, and one label in {@code [0, numClasses)} per example
 * (labels are held in memory, pixels are not unless the source holds them). {@link #slice} and
 * {@link #subset} are views that read nothing; {@link #batch} reads only the examples asked for,
 * so a split of any size is evaluated with memory bounded by the batch.
 *
 * <pre>{@code
 * Dataset test = Datasets.load("cifar10", "test");
 * for (Batch b : Batches.inOrder(test.slice(0, 1000), 256).epoch(0)) model.logits(b.x());
 * }</pre>
 */
public final class Dataset {
    /** Largest {@link #images()} handed out whole (floats); beyond it, read in batches. */
    static final long MAX_WHOLE = Integer.MAX_VALUE - 8;

    private final String name;
    private final ExampleSource source;
    private final int[] index; // example i of this view is source example index[i]; null: the identity
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;

    /**
     * A dataset held in memory: {@code images} [N,C,H,W] with values in [0,1].
     *
     * @param name the dataset's name, for messages and reports
     * @param images the examples, {@code [N,C,H,W]} (kept, not copied)
     * @param labels one label per example, each in [0, numClasses)
     * @param numClasses the number of classes
     * @param classNames one name per class
     * @throws IllegalArgumentException if the counts disagree or a label is out of range
     */
    public Dataset(String name, Tensor images, int[] labels, int numClasses, List<String> classNames) {
        this(name, TensorSource.of(images), labels, numClasses, classNames);
    }

    /**
     * A dataset whose pixels are read from {@code source} when a batch asks for them.
     *
     * @param name the dataset's name, for messages and reports
     * @param source where the pixels are read from
     * @param labels one label per example, each in [0, numClasses) (copied)
     * @param numClasses the number of classes
     * @param classNames one name per class
     * @throws IllegalArgumentException if the counts disagree or a label is out of range
     */
    public Dataset(String name, ExampleSource source, int[] labels, int numClasses, List<String> classNames) {
        this(name, source, null, labels.clone(), numClasses, classNames);
        if (source.size() != labels.length)
            throw new IllegalArgumentException(source.size() + " examples but " + labels.length + " labels");
        if (classNames.size() != numClasses)
            throw new IllegalArgumentException(numClasses + " classes but " + classNames.size() + " class names");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " outside 0.." + (numClasses - 1));
    }

    private Dataset(String name, ExampleSource source, int[] index, int[] labels, int numClasses, List<String> classNames) {
        this.name = name;
        this.source = source;
        this.index = index;
        this.labels = labels;
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
    }

    /** {@return the dataset's name} */
    public String name() { return name; }

    /** {@return where the pixels come from} */
    public ExampleSource source() { return source; }

    /**
     * All examples as one tensor [N,C,H,W]: the source's own storage for a whole in-memory
     * dataset (treat as read-only), otherwise read now. For slices and small sets; a large
     * split is read with {@link #batch} or {@link Batches}.
     *
     * @return the examples, {@code [N,C,H,W]}
     */
    public Tensor images() {
        if (index == null && source instanceof TensorSource t) return t.tensor();
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return read(all);
    }

    /** {@return a copy of the labels} */
    public int[] labels() { return labels.clone(); }

    /**
     * The label of example {@code i}.
     *
     * @param i the example's index in this dataset
     * @return its label
     * @throws FeintException if {@code i} is out of range
     */
    public int label(int i) { return labels[checkIndex(i)]; }

    /** {@return the number of classes} */
    public int numClasses() { return numClasses; }

    /** {@return one name per class, by label} */
    public List<String> classNames() { return classNames; }

    /** {@return the number of examples} */
    public int size() { return labels.length; }

    /** {@return the shape [C,H,W] of one example} */
    public int[] exampleShape() { return source.shape(); }

    /**
     * Examples {@code [from, to)} as a view (nothing is read).
     *
     * @param from the first example
     * @param to one past the last example
     * @return the view
     * @throws FeintException if the range is outside the dataset
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to)
            throw new FeintException("slice [" + from + ", " + to + ") of dataset '" + name + "' (expected 0 <= from <= to <= " + size() + ")");
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) idx[i] = from + i;
        return subset(idx);
    }

    /**
     * The examples at {@code indices} (in that order, repeats allowed) as a view (nothing is read).
     *
     * @param indices example indices in this dataset
     * @return the view
     * @throws FeintException if an index is out of range
     */
    public Dataset subset(int[] indices) {
        int[] src = new int[indices.length], lab = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            src[k] = index == null ? i : index[i];
            lab[k] = labels[i];
        }
        return new Dataset(name, source, src, lab, numClasses, classNames);
    }

    /**
     * The same examples and labels with pixels passed through {@code p} (a view: applied as batches are read).
     *
     * @param p the preprocessing
     * @return the view, or this dataset if {@code p} changes nothing
     */
    public Dataset preprocessed(Preprocessing p) {
        if (p.isIdentity()) return this;
        return new Dataset(name, new PreprocessedSource(source, p), index, labels, numClasses, classNames);
    }

    /**
     * The examples at {@code indices} as a batch (read now).
     *
     * @param indices example indices in this dataset
     * @return the batch, whose indices are these
     */
    public Batch batch(int[] indices) {
        return new Batch(read(indices), gatherLabels(indices), indices.clone());
    }

    /**
     * Example {@code i} as a one-example batch [1,C,H,W].
     *
     * @param i the example's index
     * @return its pixels, {@code [1,C,H,W]}
     */
    public Tensor example(int i) { return read(new int[] {i}); }

    /**
     * Checks that this data fits a model taking {@code input} [C,H,W] with {@code classes}
     * outputs; the one place a data shape is compared with a model's (the message names the
     * model and says how to make them fit).
     *
     * @param model the model's name, for the message
     * @param input the model's input shape [C,H,W]
     * @param classes the model's number of outputs
     * @throws FeintException if the shapes or class counts differ
     */
    public void checkFits(String model, int[] input, int classes) {
        if (!Arrays.equals(input, exampleShape()))
            throw new FeintException(model + ": model input " + Arrays.toString(input) + " does not match the data's "
                    + Arrays.toString(exampleShape()) + " (" + name + "; expected the same [C,H,W]: resize, crop or "
                    + "convert the data to the model's input with " + FeintException.parameter("preprocessing") + ")");
        if (classes != numClasses)
            throw new FeintException(model + ": model has " + classes + " classes, data has " + numClasses + " (" + name
                    + "; expected the same number: " + FeintException.parameter("classes") + " maps the data's class names to the model's outputs)");
    }

    /** {@return the name, origin, size, shape and preprocessing, for reports} */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("origin", source.origin());
        m.put("examples", size());
        m.put("shape", exampleShape());
        m.put("classes", numClasses);
        m.put("preprocessing", source.preprocessing().isIdentity() ? null : source.preprocessing().toMap());
        if (source.skipped().count() > 0) m.put("skipped", source.skipped().toMap());
        return m;
    }

    private Tensor read(int[] indices) {
        int[] s = exampleShape();
        long total = (long) source.exampleSize() * indices.length;
        if (total > MAX_WHOLE)
            throw new FeintException(indices.length + " examples of " + Arrays.toString(s) + " from dataset '" + name
                    + "' are more than one array holds (" + total + " floats; expected at most " + MAX_WHOLE
                    + ": read it in batches)");
        int[] src = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            src[k] = index == null ? i : index[i];
        }
        float[] out = new float[(int) total];
        source.read(src, out);
        return new Tensor(Shape.of(indices.length, s[0], s[1], s[2]), out);
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

    /** {@return how many examples each class has (index = label)} */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) counts[y]++;
        return counts;
    }

    @Override public String toString() {
        return "Dataset[" + name + ", " + size() + "x" + Arrays.toString(exampleShape()) + ", " + numClasses + " classes]";
    }
}
