package dev.chase.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.bench.InferenceBench;
import dev.chase.config.TrainConfig;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Several runs side by side, the content of {@code compare.json}: per run its method, density,
 * channel sparsity, final accuracy, dense-of-slim FLOPs and the throughput its own {@code chase
 * bench} measured at batch size {@value #BATCH_SIZE} for the network it would deploy (shrunk for
 * Chase, masked for other sparse methods, dense for dense). {@link #write} adds two charts in the
 * style of the Chase paper's Figure 1 (accuracy against dense-of-slim FLOPs and against
 * throughput, one labelled dot per run) and a self-contained {@code compare.html}.
 *
 * @param batchSize the batch size whose throughput is compared
 * @param runs one row per run, in the order given
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record Comparison(int batchSize, List<Row> runs) {
    /** The batch size of the compared throughput (one of {@code chase bench}'s defaults). */
    public static final int BATCH_SIZE = 128;
    /** File names written into the output folder. */
    public static final String JSON = "compare.json";
    public static final String HTML = "compare.html";
    public static final String FLOPS_CHART = "compare-accuracy-flops.png";
    public static final String THROUGHPUT_CHART = "compare-accuracy-throughput.png";

    /**
     * One run.
     *
     * @param run the run directory as given
     * @param label its folder name, the label of its dots
     * @param density final density of the weights (1 for dense runs)
     * @param channelSparsity final S_c over the prunable groups
     * @param pruneSkip whether Chase also pruned the residual streams
     * @param budget what Chase's channel budget counted and its goal, e.g. {@code S_c 0.5}, {@code FLOPs 0.5}
     *     or {@code latency 0.5}; null for other methods
     * @param slimFraction dense-of-slim FLOPs over dense; null while the run is unfinished
     * @param network the network whose speed is compared: shrunk, masked or dense
     * @param imagesPerSecond its measured throughput at {@link #BATCH_SIZE}; null if not measured
     * @param speedup its speed-up over the dense original measured in the same bench; null if not measured
     * @param threads the engine threads of that bench; null if not measured
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String run, String label, String model, String dataset, String method, double density,
            double channelSparsity, boolean pruneSkip, String budget, double finalTestAccuracy, double bestTestAccuracy, Double slimFraction,
            String network, Double imagesPerSecond, Double speedup, Integer threads) {

        /**
         * The legend entry of the run's dots: the method, what its channel budget counted (so plain
         * Chase and FLOPs- or latency-targeted runs are told apart) and whether it pruned skip
         * connections.
         */
        String series() {
            String kind = budget == null ? "" : ", " + budget.substring(0, budget.indexOf(' ')) + " budget";
            return method + kind + (pruneSkip ? " (prune skip)" : "");
        }

        /** Whether its throughput was measured at {@link #BATCH_SIZE}. */
        public boolean measured() {
            return imagesPerSecond != null;
        }
    }

    /**
     * Compares runs through their summaries ({@link RunReport#current}, which rewrites a missing or
     * stale {@code summary.json}).
     *
     * @throws ChaseException for no runs, a missing or empty run, or a summary from a newer chase
     */
    public static Comparison of(List<Path> runDirs) {
        if (runDirs.isEmpty()) {
            throw new ChaseException("give at least one run directory to compare");
        }
        List<Row> rows = new ArrayList<>();
        for (Path dir : runDirs) {
            rows.add(row(dir, RunReport.current(dir)));
        }
        return new Comparison(BATCH_SIZE, rows);
    }

    private static Row row(Path dir, RunSummary s) {
        TrainConfig c = s.config();
        Optional<InferenceBench.Result> measured = s.measured(BATCH_SIZE);
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new Row(dir.toString(), name == null ? dir.toString() : name.toString(), c.model(), c.dataset(), c.method(),
                s.sparsity() == null ? 1 : s.sparsity().density(), s.sparsity() == null ? 0 : s.sparsity().channelSparsity(),
                Boolean.TRUE.equals(c.pruneSkip()), budget(c), s.accuracy().finalTest(), s.accuracy().bestTest(),
                s.flops() == null ? null : s.flops().slimFraction(), s.deployedNetwork(),
                measured.map(InferenceBench.Result::imagesPerSecond).orElse(null),
                measured.map(InferenceBench.Result::speedup).orElse(null),
                measured.isPresent() ? s.bench().threads() : null);
    }

    /** The run's channel budget as "KIND GOAL", or null when it has none (not a Chase run). */
    static String budget(TrainConfig c) {
        if (c.targetFlops() != null) {
            return "FLOPs " + c.targetFlops();
        }
        if (c.targetLatency() != null) {
            return "latency " + c.targetLatency();
        }
        return c.channelSparsity() == null ? null : "S_c " + c.channelSparsity();
    }

    /**
     * Writes {@code compare.json}, the charts that have at least one dot, and {@code compare.html}
     * into {@code outDir} (created if needed), each atomically.
     *
     * @return the files written
     */
    public List<Path> write(Path outDir) {
        List<Path> files = new ArrayList<>();
        Path json = outDir.resolve(JSON);
        AtomicFiles.writeString(json, Json.writePretty(this));
        files.add(json);
        HtmlPage page = new HtmlPage("chase comparison of " + runs.size() + " runs");
        page.heading("chase comparison of " + runs.size() + " runs");
        page.section("table", "Runs");
        page.table(List.of("run", "model", "method", "density", "budget", "S_c", "prune skip", "final accuracy", "dense-of-slim FLOPs",
                "network", "images/s at batch " + batchSize, "speed-up over dense", "threads"), runs.stream().map(this::cells).toList());
        page.paragraph("note", "Throughput is what each run's own chase bench measured (random input, median of interleaved"
                + " repeats); compare absolute images/s only between runs measured on the same machine with the same threads."
                + " The speed-up is over the dense original timed in the same bench. Not measured: run chase bench RUN_DIR.");
        page.section("accuracy-flops", "Accuracy against dense-of-slim FLOPs");
        chart(page, files, outDir.resolve(FLOPS_CHART), r -> r.slimFraction() != null, Row::slimFraction,
                "Accuracy vs dense-of-slim FLOPs", "dense-of-slim FLOPs / dense FLOPs",
                "No finished run: FLOPs are counted when a run finishes.");
        page.section("accuracy-throughput", "Accuracy against measured throughput");
        chart(page, files, outDir.resolve(THROUGHPUT_CHART), Row::measured, Row::imagesPerSecond,
                "Accuracy vs throughput (batch " + batchSize + ")", "images/s at batch " + batchSize,
                "No run has a measured throughput at batch " + batchSize + ": measure them with chase bench RUN_DIR.");
        Path html = outDir.resolve(HTML);
        AtomicFiles.writeString(html, page.toHtml("Written by chase compare; the numbers are in " + JSON + "."));
        files.add(html);
        return files;
    }

    private void chart(HtmlPage page, List<Path> files, Path png, Predicate<Row> has, Function<Row, Double> x, String title,
            String xLabel, String none) {
        List<Charts.Point> points = runs.stream().filter(has)
                .map(r -> new Charts.Point(r.series(), r.label(), x.apply(r), 100 * r.finalTestAccuracy())).toList();
        if (points.isEmpty()) {
            page.paragraph("note", none);
            return;
        }
        byte[] image = Charts.png(Charts.scatter(title, xLabel, "final test accuracy (%)", points), 900, 600);
        Charts.writePng(png, image);
        files.add(png);
        page.image(image, title + ", one labelled dot per run");
    }

    private List<String> cells(Row r) {
        return List.of(r.run(), r.model(), r.method(), RunReport.fraction(r.density()),
                r.budget() == null ? "" : r.budget(), RunReport.fraction(r.channelSparsity()),
                r.pruneSkip() ? "yes" : "no", RunReport.percent(r.finalTestAccuracy()),
                r.slimFraction() == null ? "unfinished" : RunReport.fraction(r.slimFraction()), r.network(),
                r.measured() ? String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()) : "not measured",
                r.measured() ? RunReport.times(r.speedup()) : "", r.measured() ? Integer.toString(r.threads()) : "");
    }
}
