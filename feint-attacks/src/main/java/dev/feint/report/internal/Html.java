package dev.feint.report.internal;

import java.util.Locale;

/** Escaping and number formatting for the report. */
final class Html {
    private Html() {}

    static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A fraction as a percentage with one decimal, or an en dash when undefined. */
    static String pct(double f) {
        return Double.isNaN(f) ? "&ndash;" : String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
