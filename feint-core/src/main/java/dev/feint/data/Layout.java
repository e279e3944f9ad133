package dev.feint.data;

import dev.feint.FeintException;

import java.util.Arrays;

/**
 * How an array of images orders its axes: {@code NCHW} (PyTorch) or {@code NHWC} (TensorFlow,
 * NumPy images); {@code AUTO} decides from the shape ([N,H,W] is grayscale; [N,C,H,W] or [N,H,W,C]
 * where exactly one of the two candidate axes is 1 or 3).
 */
public enum Layout {
    /** Decided from the shape. */
    AUTO,
    /** Channels first: [N,C,H,W]. */
    NCHW,
    /** Channels last: [N,H,W,C]. */
    NHWC;

    /**
     * Parses {@code auto}, {@code nchw} or {@code nhwc} (any case).
     *
     * @param s the layout's name
     * @return the layout
     * @throws FeintException if the name is none of these
     */
    public static Layout parse(String s) {
        for (Layout l : values()) if (l.name().equalsIgnoreCase(s.strip())) return l;
        throw new FeintException("layout '" + s + "' (expected nchw, nhwc or auto)");
    }

    /** True if an array of {@code dims} is channels-last under this layout; {@code where} names it in messages. */
    boolean channelsLast(String where, int[] dims) {
        if (dims.length == 3) return false;
        if (dims.length != 4)
            throw new FeintException(where + ": shape " + Arrays.toString(dims) + " (expected images [N,H,W], [N,C,H,W] or [N,H,W,C])");
        boolean first = dims[1] == 1 || dims[1] == 3, last = dims[3] == 1 || dims[3] == 3;
        boolean cl = switch (this) {
            case NCHW -> false;
            case NHWC -> true;
            case AUTO -> {
                if (first == last)
                    throw new FeintException(where + ": shape " + Arrays.toString(dims) + " could be NCHW or NHWC"
                            + " (expected 1 or 3 channels on exactly one of axes 1 and 3; say which with " + FeintException.parameter("layout") + " nchw or nhwc)");
                yield last;
            }
        };
        int c = cl ? dims[3] : dims[1];
        if (c != 1 && c != 3)
            throw new FeintException(where + ": shape " + Arrays.toString(dims) + " read as " + (cl ? "NHWC" : "NCHW") + " has "
                    + c + " channels (expected 1 or 3)");
        return cl;
    }

    /** [C,H,W] of one example of an array of {@code dims} (checked by {@link #channelsLast}). */
    static int[] exampleShape(int[] dims, boolean channelsLast) {
        if (dims.length == 3) return new int[] {1, dims[1], dims[2]};
        return channelsLast ? new int[] {dims[3], dims[1], dims[2]} : new int[] {dims[1], dims[2], dims[3]};
    }
}
