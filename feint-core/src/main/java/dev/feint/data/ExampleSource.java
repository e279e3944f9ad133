package dev.feint.data;

/**
 * Where a dataset's pixels come from: a fixed number of examples of one shape {@code [C,H,W]},
 * read by index a batch at a time, values in [0,1]. Readers of files implement it so that a
 * split is never expanded whole into floats: only the examples a batch asks for are read and
 * decoded. Implementations are immutable and safe to read from several threads.
 */
public interface ExampleSource {
    /** {@return the number of examples} */
    int size();

    /** {@return the shape {@code [C,H,W]} of every example (a fresh array)} */
    int[] shape();

    /**
     * Writes examples {@code indices} (each in {@code [0, size())}) one after the other into
     * {@code out}, which holds {@code indices.length * C*H*W} floats.
     *
     * @param indices the examples to read
     * @param out where to write them, one after the other
     */
    void read(int[] indices, float[] out);

    /** {@return where the examples come from, for messages and reports (a file, a directory, "memory")} */
    String origin();

    /** {@return the preprocessing the examples pass through as they are read ({@link Preprocessing#NONE} if none)} */
    default Preprocessing preprocessing() { return Preprocessing.NONE; }

    /** {@return the files left out because they did not decode ({@code --skip-bad}); {@link SkippedFiles#NONE} by default} */
    default SkippedFiles skipped() { return SkippedFiles.NONE; }

    /** {@return the number of elements in one example, C*H*W} */
    default int exampleSize() {
        int[] s = shape();
        return s[0] * s[1] * s[2];
    }
}
