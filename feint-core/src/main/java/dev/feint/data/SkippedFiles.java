package dev.feint.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a reader left out because they did not decode ({@code --skip-bad}): how many, and
 * the first few with the reason, for the report. {@link #NONE} when nothing was skipped.
 *
 * @param count how many files were skipped
 * @param first the first {@link #KEPT} of them (in the dataset's file order), each "file: reason"
 */
public record SkippedFiles(int count, List<String> first) {
    /** How many skipped files are named in a report. */
    public static final int KEPT = 10;
    /** Nothing skipped. */
    public static final SkippedFiles NONE = new SkippedFiles(0, List.of());

    /**
     * Checks the count against the names and copies the list.
     *
     * @throws IllegalArgumentException if more files are named than skipped or than {@link #KEPT}
     */
    public SkippedFiles {
        if (count < 0 || first.size() > Math.min(count, KEPT))
            throw new IllegalArgumentException(count + " skipped files with " + first.size() + " named");
        first = List.copyOf(first);
    }

    /** {@return the map {@code {"count": n, "first": ["file: reason", ...]}} for JSON reports} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("first", first);
        return m;
    }
}
