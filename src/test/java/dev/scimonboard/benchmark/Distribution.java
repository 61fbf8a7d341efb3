package dev.scimonboard.benchmark;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The spread of a set of measurements in seconds: count, mean, median, 95th percentile, minimum and maximum.
 * Percentiles are nearest-rank: the p-th percentile is the smallest value that at least p% of the values do not
 * exceed.
 *
 * @param count how many values
 * @param mean the mean
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param min the smallest value
 * @param max the largest value
 */
public record Distribution(int count, double mean, double p50, double p95, double min, double max) {
    private static final double MEDIAN = 50;
    private static final double HIGH = 95;

    /**
     * The spread of these values.
     *
     * @param values the values, in seconds
     * @return their distribution; all zero when there are none
     */
    public static Distribution of(Collection<Double> values) {
        if (values.isEmpty()) {
            return new Distribution(0, 0, 0, 0, 0, 0);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new Distribution(sorted.size(), sum / sorted.size(), percentile(sorted, MEDIAN),
            percentile(sorted, HIGH), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /**
     * The distribution as JSON, rounded to milliseconds.
     *
     * @return {@code {count, mean, p50, p95, min, max}}
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("count", count);
        json.put("mean", round(mean));
        json.put("p50", round(p50));
        json.put("p95", round(p95));
        json.put("min", round(min));
        json.put("max", round(max));
        return json;
    }

    /**
     * One line for a person.
     *
     * @return such as {@code p50 12.3 s, p95 40.1 s, max 52.0 s (mean 15.2 s, n=500)}
     */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %.1f s, p95 %.1f s, max %.1f s (mean %.1f s, n=%d)", p50, p95, max,
            mean, count);
    }

    private static double percentile(List<Double> sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Rounds to three decimals, for JSON. */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
