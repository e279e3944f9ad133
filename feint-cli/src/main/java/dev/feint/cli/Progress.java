package dev.feint.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr (items, throughput, ETA, extra text). Silent when stderr is
 * not a terminal or with --quiet, so logs and pipes stay clean.
 */
final class Progress {
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean on;
    private final PrintStream out = System.err;
    private long lastPrint;

    public Progress(String label, long total) {
        this.label = label;
        this.total = total;
        this.on = !GlobalOptions.quiet && System.console() != null && System.console().isTerminal();
    }

    public void update(long done, String extra) {
        if (!on) return;
        long now = System.nanoTime();
        if (done < total && now - lastPrint < 200_000_000L) return;
        lastPrint = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(1e-9, secs);
        double eta = rate > 0 ? (total - done) / rate : 0;
        int width = 24, filled = (int) (width * Math.min(1.0, (double) done / Math.max(1, total)));
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        out.printf("\r%s [%s] %d/%d %.0f/s ETA %s %s\u001b[K", label, bar, done, total, rate, time(eta), extra == null ? "" : extra);
        if (done >= total) out.println();
        out.flush();
    }

    public void done() {
        if (on) { out.print("\r\u001b[K"); out.flush(); }
    }

    static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
