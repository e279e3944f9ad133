package dev.feint.junit;

import java.nio.file.Path;

/** Where and when the assertions of the current test thread write reports (set by {@link RobustnessExtension}). */
record ReportSettings(Path dir, boolean always, RobustnessTest.Audit audit) {
    private static final ThreadLocal<ReportSettings> CURRENT = new ThreadLocal<>();

    static void set(ReportSettings s) { CURRENT.set(s); }

    static void clear() { CURRENT.remove(); }

    /** The current test's settings, or null outside a {@link RobustnessTest}. */
    static ReportSettings current() { return CURRENT.get(); }

    /** The folder of the n-th report of this test (n from 1): the test's folder, then {@code -2}, {@code -3}, ... */
    Path dir(int n) { return n == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + n); }
}
