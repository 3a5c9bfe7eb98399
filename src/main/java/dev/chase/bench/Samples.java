package dev.chase.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * Summary statistics of repeated timings: median (the number to quote), min, max, mean, and the
 * spread max/min that says how noisy the machine was.
 */
// spread is derived: written for readers of bench.json, recomputed when read back
@JsonIgnoreProperties(value = "spread", allowGetters = true)
public record Samples(int count, double median, double min, double max, double mean) {

    /** Summarises the given values (at least one). */
    public static Samples of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Samples(n, median, v[0], v[n - 1], Arrays.stream(v).average().orElseThrow());
    }

    /** max / min: 1.0 means perfectly stable repeats. */
    @JsonProperty("spread")
    public double spread() {
        return min > 0 ? max / min : Double.POSITIVE_INFINITY;
    }
}
