package dev.feint.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link Models#load(java.nio.file.Path, ModelOptions)} needs to know beyond the file: the
 * input preprocessing, input shape and class names that foreign formats (ONNX, TorchScript) do
 * not record, and whether non-finite weights are allowed. Immutable: each setter returns a copy.
 * An option given for a format that does not take it is refused ({@link ModelLoadException},
 * naming the parameter): a Feint weights file carries its own preprocessing and class names, an
 * ONNX file its input shape.
 *
 * <pre>{@code
 * ModelOptions lenet = ModelOptions.defaults().inputShape(1, 28, 28)
 *         .preprocessing(new InputPreprocessing(Bounds.UNIT, new float[] {0.286f}, new float[] {0.353f}, false, false));
 * LoadedModel m = Models.load(Path.of("lenet.pt"), lenet);
 * }</pre>
 */
public final class ModelOptions {
    /** The parameter name of {@link #preprocessing(InputPreprocessing)}, as {@link ModelLoadException#parameter()} names it. */
    public static final String PREPROCESSING = "preprocessing";
    /** The parameter name of {@link #inputShape(int, int, int)}. */
    public static final String INPUT_SHAPE = "inputShape";
    /** The parameter name of {@link #classNames(List)}. */
    public static final String CLASS_NAMES = "classNames";

    private static final ModelOptions DEFAULTS = new ModelOptions(null, null, null, false);

    private final InputPreprocessing preprocessing;
    private final int[] inputShape;
    private final List<String> classNames;
    private final boolean allowNonfinite;

    private ModelOptions(InputPreprocessing preprocessing, int[] inputShape, List<String> classNames, boolean allowNonfinite) {
        this.preprocessing = preprocessing;
        this.inputShape = inputShape;
        this.classNames = classNames;
        this.allowNonfinite = allowNonfinite;
    }

    /** {@return no options: what the file records, {@link InputPreprocessing#DEFAULT} for foreign formats, finite weights only} */
    public static ModelOptions defaults() { return DEFAULTS; }

    /**
     * The preprocessing a foreign model expects (ONNX, TorchScript).
     *
     * @param p the input range, mean/std, channel order and layout; null for none given
     * @return a copy with it
     */
    public ModelOptions preprocessing(InputPreprocessing p) { return new ModelOptions(p, inputShape, classNames, allowNonfinite); }

    /**
     * The input shape as Feint feeds it, for formats that do not record it (TorchScript).
     *
     * @param channels c, at least 1
     * @param height h, at least 1
     * @param width w, at least 1
     * @return a copy with it
     * @throws ModelLoadException (parameter {@value #INPUT_SHAPE}) for a size below 1
     */
    public ModelOptions inputShape(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw ModelLoadException.invalid(INPUT_SHAPE, Arrays.toString(new int[] {channels, height, width}), "three positive sizes c, h, w");
        return new ModelOptions(preprocessing, new int[] {channels, height, width}, classNames, allowNonfinite);
    }

    /**
     * The class names, one per output in order, for formats that do not record them (ONNX, TorchScript).
     *
     * @param names the names; null for none given ("0", "1", ... then)
     * @return a copy with them
     */
    public ModelOptions classNames(List<String> names) {
        return new ModelOptions(preprocessing, inputShape, names == null ? null : List.copyOf(names), allowNonfinite);
    }

    /**
     * Whether NaN or infinite weights are read rather than refused (Feint weights files; for inspecting a diverged run).
     *
     * @param allow true to read them
     * @return a copy with it
     */
    public ModelOptions allowNonfinite(boolean allow) { return new ModelOptions(preprocessing, inputShape, classNames, allow); }

    /** {@return the preprocessing given, or {@link InputPreprocessing#DEFAULT}} */
    public InputPreprocessing preprocessing() { return preprocessing == null ? InputPreprocessing.DEFAULT : preprocessing; }

    /** {@return the input shape [c, h, w] given, or null} */
    public int[] inputShape() { return inputShape == null ? null : inputShape.clone(); }

    /** {@return the class names given, or null} */
    public List<String> classNames() { return classNames; }

    /** {@return whether non-finite weights are allowed} */
    public boolean allowNonfinite() { return allowNonfinite; }

    /** {@return the parameters given ({@value #PREPROCESSING}, {@value #INPUT_SHAPE}, {@value #CLASS_NAMES}), in that order} */
    public Set<String> given() {
        Set<String> s = new LinkedHashSet<>();
        if (preprocessing != null) s.add(PREPROCESSING);
        if (inputShape != null) s.add(INPUT_SHAPE);
        if (classNames != null) s.add(CLASS_NAMES);
        return s;
    }

    @Override public String toString() {
        return "ModelOptions[preprocessing " + (preprocessing == null ? "default" : preprocessing) + ", inputShape "
                + (inputShape == null ? "none" : Arrays.toString(inputShape)) + ", classNames " + (classNames == null ? "none" : classNames.size())
                + (allowNonfinite ? ", allowNonfinite" : "") + "]";
    }
}
