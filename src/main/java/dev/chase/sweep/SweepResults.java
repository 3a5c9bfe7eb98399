package dev.chase.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.report.Comparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The results of a sweep, the content of {@code sweep-results.json}: {@code chase compare} over its
 * finished runs, and per configuration (an entry's keys without {@code seed}) the mean and sample
 * standard deviation over its seeds of the final test accuracy, the means of dense-of-slim FLOPs
 * and measured throughput, and the difference of mean accuracy to the baseline configuration.
 *
 * <p>The baseline of a configuration C is the configuration B that has the sweep's baseline values
 * (e.g. {@code method: rigl}) and agrees with C on every other key B sets (keys only C sets, like
 * {@code target-flops}, do not matter); of several such B, the one that sets the most keys, and
 * none when that is a tie.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param baseline the sweep's baseline keys; empty when it has none
 * @param configurations one row per configuration, in plan order
 * @param comparison {@code chase compare} over the finished runs; null when none has finished
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepResults(int formatVersion, Map<String, String> baseline, List<Configuration> configurations, Comparison comparison) {
    public static final int FORMAT_VERSION = 1;
    public static final String JSON = "sweep-results.json";
    public static final String MARKDOWN = "sweep-results.md";
    /** The folder {@code chase compare}'s page and charts go into. */
    public static final String COMPARE_DIR = "compare";

    /**
     * A mean and a sample standard deviation.
     *
     * @param mean the mean
     * @param sd the sample standard deviation (n - 1); null for a single value
     */
    public record Stat(double mean, Double sd) {
        static Stat of(List<Double> values) {
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            if (values.size() < 2) {
                return new Stat(mean, null);
            }
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            return new Stat(mean, Math.sqrt(ss / (values.size() - 1)));
        }
    }

    /**
     * One configuration.
     *
     * @param label readable name, from the keys that differ between configurations
     * @param config its keys
     * @param runs how many entries repeat it
     * @param finished how many of them have finished (only those count below)
     * @param seeds the seeds of the finished ones
     * @param accuracy final test accuracy over the finished seeds; null when none finished
     * @param slimFraction mean dense-of-slim FLOPs over dense; null when none finished
     * @param imagesPerSecond mean measured throughput at batch 128; null unless every finished run was measured
     * @param speedup mean measured speed-up over dense; null unless every finished run was measured
     * @param baseline the label of its baseline configuration; null when it has none
     * @param deltaAccuracy its mean accuracy minus its baseline's; null without both
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Configuration(String label, Map<String, String> config, int runs, int finished, List<String> seeds,
            Stat accuracy, Double slimFraction, Double imagesPerSecond, Double speedup, String baseline, Double deltaAccuracy) {}

    /** Computes the results of the plan's finished runs. */
    public static SweepResults of(SweepPlan plan, SweepFolder folder) {
        List<SweepEntry> finished = plan.entries().stream().filter(folder::finished).toList();
        Comparison comparison = finished.isEmpty() ? null : Comparison.of(finished.stream().map(folder::runDir).toList());
        Map<String, Comparison.Row> rows = new LinkedHashMap<>();
        for (int i = 0; i < finished.size(); i++) {
            rows.put(finished.get(i).name(), comparison.runs().get(i));
        }
        return of(plan, rows, comparison);
    }

    /**
     * Computes the results from the rows of the finished runs.
     *
     * @param rows the {@code chase compare} row of each finished entry, by entry name
     * @param comparison the comparison those rows come from; null when none has finished
     */
    static SweepResults of(SweepPlan plan, Map<String, Comparison.Row> rows, Comparison comparison) {
        Map<Map<String, String>, List<SweepEntry>> groups = new LinkedHashMap<>();
        plan.entries().forEach(e -> groups.computeIfAbsent(e.configuration(), k -> new ArrayList<>()).add(e));
        List<Map<String, String>> configs = new ArrayList<>(groups.keySet());
        List<String> labels = RunNames.of(configs);
        List<Configuration> out = new ArrayList<>();
        for (int g = 0; g < configs.size(); g++) {
            List<Comparison.Row> done = groups.get(configs.get(g)).stream().map(e -> rows.get(e.name())).filter(Objects::nonNull).toList();
            List<String> seeds = groups.get(configs.get(g)).stream().filter(e -> rows.containsKey(e.name()))
                    .map(e -> e.config().getOrDefault(SweepEntry.SEED, "default")).toList();
            out.add(new Configuration(labels.get(g), configs.get(g), groups.get(configs.get(g)).size(), done.size(), seeds,
                    done.isEmpty() ? null : Stat.of(done.stream().map(Comparison.Row::finalTestAccuracy).toList()),
                    mean(done, Comparison.Row::slimFraction), mean(done, Comparison.Row::imagesPerSecond), mean(done, Comparison.Row::speedup),
                    null, null));
        }
        return new SweepResults(FORMAT_VERSION, plan.baseline(), withBaselines(out, plan.baseline()), comparison);
    }

    private static Double mean(List<Comparison.Row> rows, Function<Comparison.Row, Double> value) {
        if (rows.isEmpty() || rows.stream().map(value).anyMatch(Objects::isNull)) {
            return null;
        }
        return rows.stream().map(value).mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static List<Configuration> withBaselines(List<Configuration> configs, Map<String, String> baseline) {
        if (baseline.isEmpty()) {
            return configs;
        }
        List<Configuration> out = new ArrayList<>();
        for (Configuration c : configs) {
            Configuration b = baselineOf(c, configs, baseline);
            Double delta = b == null || b.accuracy() == null || c.accuracy() == null ? null : c.accuracy().mean() - b.accuracy().mean();
            out.add(new Configuration(c.label(), c.config(), c.runs(), c.finished(), c.seeds(), c.accuracy(), c.slimFraction(),
                    c.imagesPerSecond(), c.speedup(), b == null ? null : b.label(), delta));
        }
        return out;
    }

    /** The baseline configuration of {@code c} (see the class comment), or null. */
    static Configuration baselineOf(Configuration c, List<Configuration> configs, Map<String, String> baseline) {
        Configuration best = null;
        boolean tie = false;
        for (Configuration b : configs) {
            if (!b.config().entrySet().containsAll(baseline.entrySet())) {
                continue;
            }
            boolean agrees = b.config().entrySet().stream()
                    .allMatch(kv -> baseline.containsKey(kv.getKey()) || kv.getValue().equals(c.config().get(kv.getKey())));
            if (!agrees) {
                continue;
            }
            if (best == null || b.config().size() > best.config().size()) {
                best = b;
                tie = false;
            } else if (b.config().size() == best.config().size()) {
                tie = true;
            }
        }
        return tie ? null : best;
    }

    /**
     * Writes {@code sweep-results.json}, {@code sweep-results.md} and (when a run has finished)
     * {@code chase compare}'s page and charts into {@code compare/}, each atomically.
     *
     * @return the files written
     */
    public List<Path> write(Path dir) {
        List<Path> files = new ArrayList<>();
        AtomicFiles.writeString(dir.resolve(JSON), Json.writePretty(this));
        files.add(dir.resolve(JSON));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown());
        files.add(dir.resolve(MARKDOWN));
        if (comparison != null) {
            files.addAll(comparison.write(dir.resolve(COMPARE_DIR)));
        }
        return files;
    }

    /** The results as a Markdown page: the configurations table, then one row per finished run. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# Sweep results\n\n");
        md.append("Final test accuracy as mean ± sample standard deviation over the finished seeds");
        md.append(baseline.isEmpty() ? ".\n\n" : "; Δ is the difference of mean accuracy to the baseline configuration ("
                + baseline + ") that agrees on every other key it sets.\n\n");
        md.append("| configuration | finished | seeds | accuracy (%) | Δ (points) | baseline | dense-of-slim FLOPs | images/s at batch 128 | speed-up |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Configuration c : configurations) {
            md.append("| ").append(c.label()).append(" | ").append(c.finished()).append("/").append(c.runs()).append(" | ")
                    .append(String.join(", ", c.seeds())).append(" | ")
                    .append(c.accuracy() == null ? "–" : pm(100 * c.accuracy().mean(), c.accuracy().sd() == null ? null : 100 * c.accuracy().sd()))
                    .append(" | ").append(c.deltaAccuracy() == null ? "–" : String.format(Locale.ROOT, "%+.2f", 100 * c.deltaAccuracy()))
                    .append(" | ").append(c.baseline() == null ? "–" : c.baseline())
                    .append(" | ").append(c.slimFraction() == null ? "–" : String.format(Locale.ROOT, "%.4f", c.slimFraction()))
                    .append(" | ").append(c.imagesPerSecond() == null ? "not measured" : String.format(Locale.ROOT, "%.1f", c.imagesPerSecond()))
                    .append(" | ").append(c.speedup() == null ? "–" : String.format(Locale.ROOT, "%.2fx", c.speedup())).append(" |\n");
        }
        if (comparison != null) {
            md.append("\n## Runs\n\n| run | method | budget | accuracy (%) | dense-of-slim FLOPs | images/s at batch 128 |\n|---|---|---|---|---|---|\n");
            for (Comparison.Row r : comparison.runs()) {
                md.append("| ").append(r.label()).append(" | ").append(r.method()).append(" | ").append(r.budget() == null ? "–" : r.budget())
                        .append(" | ").append(String.format(Locale.ROOT, "%.2f", 100 * r.finalTestAccuracy()))
                        .append(" | ").append(r.slimFraction() == null ? "–" : String.format(Locale.ROOT, "%.4f", r.slimFraction()))
                        .append(" | ").append(r.measured() ? String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()) : "not measured (chase bench RUN_DIR)")
                        .append(" |\n");
            }
            md.append("\nCharts and the full table: ").append(COMPARE_DIR).append('/').append(Comparison.HTML).append('\n');
        }
        return md.toString();
    }

    private static String pm(double mean, Double sd) {
        return sd == null ? String.format(Locale.ROOT, "%.2f", mean) : String.format(Locale.ROOT, "%.2f ± %.2f", mean, sd);
    }
}
