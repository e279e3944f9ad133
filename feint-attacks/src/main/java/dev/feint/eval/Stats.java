package dev.feint.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean, median and max of a sample (all NaN when empty: there is nothing to summarise).
 *
 * @param count the sample's size
 * @param mean its mean
 * @param median its median
 * @param max its largest value
 */
public record Stats(int count, double mean, double median, double max) {
    /**
     * Summarises a sample.
     *
     * @param values the sample
     * @return its statistics
     */
    public static Stats of(double[] values) {
        int n = values.length;
        if (n == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        double[] s = values.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) sum += v;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Stats(n, sum / n, median, s[n - 1]);
    }

    /** {@return JSON-ready; NaN is written as null by the JSON writer} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("median", median);
        m.put("max", max);
        return m;
    }
}
