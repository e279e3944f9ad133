package dev.feint.model;

import dev.feint.FeintException;

import java.nio.file.Path;

/**
 * Why {@link Models#load(Path, ModelOptions)} could not read a model, in terms a caller can act
 * on: the file's content is no format Feint knows ({@link Kind#UNKNOWN_FORMAT}), its format's
 * module is not there ({@link Kind#FORMAT_UNAVAILABLE}, with the {@link #artifact()} to add), or
 * a {@link ModelOptions} parameter is not taken by the format, missing or invalid (named by
 * {@link #parameter()}, so the CLI can say which of its flags it was). Other problems (a damaged
 * file, a graph with ops Feint does not import) are plain {@link FeintException}s naming the file.
 *
 * <pre>{@code
 * try {
 *     Models.load(file, ModelOptions.defaults());
 * } catch (ModelLoadException e) {
 *     if (e.kind() == ModelLoadException.Kind.MISSING && e.parameter().equals(ModelOptions.INPUT_SHAPE)) ask("c,h,w?");
 * }
 * }</pre>
 */
public final class ModelLoadException extends FeintException {
    /** What went wrong. */
    public enum Kind {
        /** The content is no format Feint or a {@link ModelFormat} on the path reads. */
        UNKNOWN_FORMAT,
        /** The format is known but the module that reads it is not on the class path or module path. */
        FORMAT_UNAVAILABLE,
        /** An option the file's format does not take (it records that itself, or has no use for it). */
        NOT_TAKEN,
        /** An option the file's format needs (a TorchScript file's input shape). */
        MISSING,
        /** An option with a value outside what it accepts. */
        INVALID
    }

    /** What went wrong. */
    private final Kind kind;
    /** The model file, or null. */
    private final transient Path file;
    /** The file's format, the option at fault and the artifact to add, each null when it does not apply. */
    private final String format, parameter, artifact;

    private ModelLoadException(Kind kind, Path file, String format, String parameter, String artifact, String message) {
        super(message);
        this.kind = kind;
        this.file = file;
        this.format = format;
        this.parameter = parameter;
        this.artifact = artifact;
    }

    static ModelLoadException unknownFormat(Path file, String message) {
        return new ModelLoadException(Kind.UNKNOWN_FORMAT, file, null, null, null, message);
    }

    static ModelLoadException unavailable(Path file, String format, String artifact, String message) {
        return new ModelLoadException(Kind.FORMAT_UNAVAILABLE, file, format, null, artifact, message);
    }

    /**
     * An option the format does not take.
     *
     * @param file the model file
     * @param format the file's format ({@link ModelFormat#name()})
     * @param parameter the option ({@link ModelOptions#PREPROCESSING}, ...)
     * @param why what the format does instead, e.g. "a Feint weights file carries its own preprocessing"
     * @return the exception
     */
    public static ModelLoadException notTaken(Path file, String format, String parameter, String why) {
        return new ModelLoadException(Kind.NOT_TAKEN, file, format, parameter, null,
                file + ": option " + parameter + " is not taken by format " + format + " (" + why + ")");
    }

    /**
     * An option the format needs and was not given.
     *
     * @param file the model file
     * @param format the file's format
     * @param parameter the option
     * @param why why it is needed, e.g. "TorchScript does not record its input shape"
     * @return the exception
     */
    public static ModelLoadException missing(Path file, String format, String parameter, String why) {
        return new ModelLoadException(Kind.MISSING, file, format, parameter, null, file + ": option " + parameter + " is needed (" + why + ")");
    }

    static ModelLoadException invalid(String parameter, String value, String expected) {
        return new ModelLoadException(Kind.INVALID, null, null, parameter, null, "option " + parameter + " = " + value + ", expected " + expected);
    }

    /** {@return what went wrong} */
    public Kind kind() { return kind; }

    /** {@return the model file, or null for an invalid option value found before any file} */
    public Path file() { return file; }

    /** {@return the file's format, or null when unknown} */
    public String format() { return format; }

    /** {@return the option at fault ({@link Kind#NOT_TAKEN}, {@link Kind#MISSING}, {@link Kind#INVALID}), else null} */
    public String parameter() { return parameter; }

    /** {@return the Maven artifact that reads the format ({@link Kind#FORMAT_UNAVAILABLE}), else null} */
    public String artifact() { return artifact; }
}
