package dev.chase.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.io.Shell;
import dev.chase.run.ChannelTable;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.SparsityMetrics.ConvLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The "sparse amenable channels" analysis of one sparse run (algorithm §9.3), the content of {@code
 * analysis.json}: per epoch, the share of conv channels with ρ_{ℓ,c}/ρ_ℓ ≤ α for every α of
 * {@link ConvLayer#ALPHAS}, over the prunable layers and over all convs (from {@code
 * metrics.jsonl}); and the distribution of ρ_{ℓ,c}/ρ_ℓ at the end of the run (from {@code
 * channels.json}). Shares count alive channels only: channels removed by Chase are reported as
 * {@code dead}, not as amenable.
 *
 * @param runDir the analysed run directory
 * @param method its sparse method
 * @param model its architecture
 * @param alphas the thresholds α, as the keys of the {@code amenable} maps
 * @param epochs one row per epoch that has per-channel statistics
 * @param finalRatio the final distribution, or null while the run is unfinished (no {@code channels.json})
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record ChannelAnalysis(String runDir, String method, String model, List<String> alphas, List<EpochRow> epochs,
        Histogram finalRatio) {
    /** The file name of the analysis in the run directory. */
    public static final String FILE = "analysis.json";
    /** Histogram bins of ρ_{ℓ,c}/ρ_ℓ: 0.1 wide over [0, 2), then one bin [2, ∞). */
    static final double[] EDGES = edges();

    /**
     * Amenable channels in a set of layers at one epoch.
     *
     * @param layers conv layers counted
     * @param channels their alive channels (the denominator of {@code fraction})
     * @param dead their removed channels
     * @param amenable per α, alive channels with ρ_{ℓ,c}/ρ_ℓ ≤ α
     * @param fraction per α, amenable / channels (0 when no channel is alive)
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Share(int layers, int channels, int dead, Map<String, Integer> amenable, Map<String, Double> fraction) {

        static Share of(Iterable<ConvLayer> convs) {
            int layers = 0;
            int alive = 0;
            int dead = 0;
            Map<String, Integer> amenable = new LinkedHashMap<>();
            ConvLayer.ALPHAS.forEach(a -> amenable.put(ConvLayer.key(a), 0));
            for (ConvLayer c : convs) {
                layers++;
                alive += c.alive();
                dead += c.dead();
                c.amenable().forEach((k, n) -> amenable.merge(k, n, Integer::sum));
            }
            Map<String, Double> fraction = new LinkedHashMap<>();
            int denominator = alive;
            amenable.forEach((k, n) -> fraction.put(k, denominator == 0 ? 0 : (double) n / denominator));
            return new Share(layers, alive, dead, amenable, fraction);
        }
    }

    /**
     * One epoch.
     *
     * @param epoch the epoch
     * @param prunable the layers that produce a prunable group
     * @param allConvs every masked conv
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record EpochRow(int epoch, Share prunable, Share allConvs) {}

    /**
     * The final distribution of ρ_{ℓ,c}/ρ_ℓ over alive channels.
     *
     * @param epoch the epoch of {@code channels.json}
     * @param edges bin edges; bin i is [edges[i], edges[i+1]), the last bin [edges[last], ∞)
     * @param prunable counts per bin over the prunable layers
     * @param allConvs counts per bin over every masked conv
     * @param layers per conv, the fractions of its alive channels that are amenable, per α (from the
     *     {@code metrics.jsonl} line of the same epoch)
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Histogram(int epoch, double[] edges, long[] prunable, long[] allConvs, Map<String, Map<String, Double>> layers) {}

    /**
     * Analyses a run directory.
     *
     * @throws ChaseException for a missing directory, a dense run, or a run without per-channel statistics
     */
    public static ChannelAnalysis of(Path runDir) {
        RunDirectory dir = RunDirectory.open(runDir);
        TrainConfig config = dir.readConfig();
        if (!config.dstMethod().sparse()) {
            throw new ChaseException("run " + runDir + " was trained with method " + config.method()
                    + ": it has no masks, so no per-channel statistics; analyze a sparse run (static, set, rigl, mest or chase)");
        }
        List<EpochMetrics> metrics = dir.readMetrics();
        if (metrics.isEmpty()) {
            throw new ChaseException("run " + runDir + " has no completed epoch yet; analyze it after its first epoch");
        }
        return of(dir, config, metrics).orElseThrow(() -> new ChaseException("run " + runDir
                + " has no per-channel statistics: it was trained before chase logged them"
                + " (the conv-channels entries of metrics.jsonl); train it again to get them, e.g. chase train --recipe "
                + Shell.quote(dir.configFile()) + " --run-dir NEW_DIR"));
    }

    /**
     * Analyses the metrics of a sparse run, or gives nothing if no epoch has per-channel
     * statistics (a run trained before they were logged).
     */
    static Optional<ChannelAnalysis> of(RunDirectory dir, TrainConfig config, List<EpochMetrics> metrics) {
        List<EpochRow> rows = new ArrayList<>();
        Map<Integer, Map<String, ConvLayer>> byEpoch = new LinkedHashMap<>();
        for (EpochMetrics m : metrics) {
            Map<String, ConvLayer> convs = m.sparsity() == null ? null : m.sparsity().convChannels();
            if (convs != null) {
                rows.add(new EpochRow(m.epoch(), Share.of(select(convs, ConvLayer::prunable)), Share.of(convs.values())));
                byEpoch.put(m.epoch(), convs);
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Histogram histogram = dir.readChannels().map(t -> histogram(t, byEpoch.getOrDefault(t.epoch(), Map.of()))).orElse(null);
        return Optional.of(new ChannelAnalysis(dir.root().toString(), config.method(), config.model(),
                ConvLayer.ALPHAS.stream().map(ConvLayer::key).toList(), rows, histogram));
    }

    private static List<ConvLayer> select(Map<String, ConvLayer> convs, Predicate<ConvLayer> keep) {
        return convs.values().stream().filter(keep).toList();
    }

    /** The histogram of a final table, with each layer's shares from the metrics of the same epoch. */
    private static Histogram histogram(ChannelTable table, Map<String, ConvLayer> convs) {
        long[] prunable = new long[EDGES.length];
        long[] all = new long[EDGES.length];
        for (ChannelTable.Layer layer : table.layers()) {
            for (int c = 0; c < layer.ratio().length; c++) {
                if (!layer.alive()[c]) {
                    continue;
                }
                int bin = bin(layer.ratio()[c]);
                all[bin]++;
                if (layer.prunable()) {
                    prunable[bin]++;
                }
            }
        }
        Map<String, Map<String, Double>> layers = new LinkedHashMap<>();
        convs.forEach((name, c) -> layers.put(name, Share.of(List.of(c)).fraction()));
        return new Histogram(table.epoch(), EDGES.clone(), prunable, all, layers);
    }

    /** The bin of a ratio: the last edge at or below it. */
    static int bin(double ratio) {
        int i = Arrays.binarySearch(EDGES, ratio);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }

    private static double[] edges() {
        double[] e = new double[21];
        for (int i = 0; i < e.length; i++) {
            e[i] = i / 10.0;
        }
        return e;
    }

    /**
     * Writes {@code analysis.json} and the charts into the run directory.
     *
     * @return the files written
     */
    public List<Path> write(Path runDir) {
        List<Path> files = new ArrayList<>();
        Path json = runDir.resolve(FILE);
        AtomicFiles.writeString(json, Json.writePretty(this));
        files.add(json);
        files.add(writeChart(runDir.resolve("analysis-amenable.png"), amenableChart(), 900, 560));
        if (finalRatio != null) {
            files.add(writeChart(runDir.resolve("analysis-ratio.png"), ratioChart(), 900, 560));
            if (!finalRatio.layers().isEmpty()) {
                files.add(writeChart(runDir.resolve("analysis-layers.png"), layersChart(), 1200, 640));
            }
        }
        return files;
    }

    private static Path writeChart(Path file, org.jfree.chart.JFreeChart chart, int width, int height) {
        Charts.writePng(file, chart, width, height);
        return file;
    }

    /** Shares of amenable channels against epochs, for every α, over the prunable layers and over all convs. */
    org.jfree.chart.JFreeChart amenableChart() {
        double[] x = epochs.stream().mapToDouble(EpochRow::epoch).toArray();
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < alphas.size(); i++) {
            String alpha = alphas.get(i);
            series.add(new Charts.Series("prunable, " + criterion(alpha), x,
                    epochs.stream().mapToDouble(r -> 100 * r.prunable().fraction().get(alpha)).toArray(), i, false));
            series.add(new Charts.Series("all convs, " + criterion(alpha), x,
                    epochs.stream().mapToDouble(r -> 100 * r.allConvs().fraction().get(alpha)).toArray(), i, true));
        }
        return Charts.lines("Sparse amenable channels, " + model + " " + method, "epoch", "% of alive channels", series);
    }

    private org.jfree.chart.JFreeChart ratioChart() {
        double[] edges = Arrays.copyOf(finalRatio.edges(), finalRatio.edges().length + 1);
        edges[edges.length - 1] = edges[edges.length - 2] + (edges[1] - edges[0]);
        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("all convs", finalRatio.allConvs());
        counts.put("prunable layers", finalRatio.prunable());
        return Charts.histogram("Channel density / layer density after epoch " + finalRatio.epoch() + ", " + model + " " + method,
                "rho_lc / rho_l (last bar: 2 and above)", "channels", edges, counts);
    }

    private org.jfree.chart.JFreeChart layersChart() {
        List<String> layers = new ArrayList<>(finalRatio.layers().keySet());
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String alpha : alphas) {
            values.put(criterion(alpha), layers.stream().mapToDouble(l -> 100 * finalRatio.layers().get(l).get(alpha)).toArray());
        }
        return Charts.bars("Sparse amenable channels per conv after epoch " + finalRatio.epoch() + ", " + model + " " + method,
                "layer", "% of alive channels", layers, values);
    }

    /** How a criterion reads: "ratio <= 0.5", or "empty" for α = 0. */
    public static String criterion(String alpha) {
        return alpha.equals("0") ? "empty (ratio = 0)" : "ratio <= " + alpha;
    }
}
