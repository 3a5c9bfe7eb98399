package dev.chase.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.bench.InferenceBench;
import dev.chase.config.TrainConfig;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.io.Shell;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.ShrinkReport;
import dev.chase.run.SparsityMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;

/**
 * A run's report: {@code summary.json} ({@link RunSummary}) and {@code report.html}, a
 * self-contained page with the summary, the training curves (accuracy, loss, training throughput,
 * density, channel sparsity), the layer widths before and after the shrink, the FLOPs and measured throughput, the
 * amenable-channel chart of sparse runs and the configuration. Both are derived from the run
 * directory and written atomically; writing them again gives the same content.
 */
public final class RunReport {
    /** The file name of the page in the run directory. */
    public static final String FILE = "report.html";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private final RunDirectory dir;
    private final RunSummary summary;
    private final List<EpochMetrics> history;

    private RunReport(RunDirectory dir, RunSummary summary, List<EpochMetrics> history) {
        this.dir = dir;
        this.summary = summary;
        this.history = history;
    }

    /**
     * Writes {@code summary.json} and {@code report.html} of a run.
     *
     * @return the summary written
     * @throws dev.chase.ChaseException for a missing run directory or a run without a completed epoch
     */
    public static RunSummary write(Path runDir) {
        RunSummary summary = RunSummary.of(runDir);
        RunDirectory dir = RunDirectory.open(runDir);
        String html = new RunReport(dir, summary, dir.readMetrics()).html();
        AtomicFiles.writeString(runDir.resolve(RunSummary.FILE), Json.writePretty(summary));
        AtomicFiles.writeString(runDir.resolve(FILE), html);
        return summary;
    }

    /**
     * The run's summary as its {@code summary.json} holds it, rewritten (with the report) first if
     * it is missing, in an older format, or older than a file it is derived from.
     *
     * @throws dev.chase.ChaseException if a newer chase wrote it
     */
    public static RunSummary current(Path runDir) {
        RunDirectory dir = RunDirectory.open(runDir);
        Path file = runDir.resolve(RunSummary.FILE);
        if (Files.isRegularFile(file)) {
            Optional<RunSummary> saved = RunSummary.read(file);
            if (saved.isPresent() && !olderThanItsSources(dir, file)) {
                return saved.get();
            }
        }
        return write(runDir);
    }

    /** Whether a file the summary is derived from changed after it was written. */
    private static boolean olderThanItsSources(RunDirectory dir, Path summary) {
        // the model folders' own times change whenever a file is renamed into them
        List<Path> sources = List.of(dir.configFile(), dir.metricsFile(), dir.shrinkFile(), dir.benchFile(), dir.channelsFile(),
                dir.modelDir(), dir.slimModelDir());
        try {
            FileTime written = Files.getLastModifiedTime(summary);
            for (Path p : sources) {
                if (Files.exists(p) && Files.getLastModifiedTime(p).compareTo(written) > 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String html() {
        TrainConfig c = summary.config();
        HtmlPage page = new HtmlPage("chase report: " + dir.root());
        page.heading("chase run report: " + dir.root());
        page.paragraph("sub", String.format(Locale.ROOT, "%s on %s, method %s; %s", c.model() + widthText(c), c.dataset(), c.method(),
                summary.finished() ? "finished after " + summary.epochs() + (summary.epochs() == 1 ? " epoch" : " epochs")
                        : "unfinished: epoch " + summary.epochs() + " of " + c.epochs()
                                + " (continue it with: chase train --resume " + Shell.quote(dir.root()) + ")"));
        summarySection(page);
        curves(page);
        trainingSpeed(page);
        sparsity(page);
        widths(page);
        flops(page);
        channels(page);
        page.section("config", "Configuration");
        Map<String, String> config = new LinkedHashMap<>();
        Json.MAPPER.valueToTree(c).fields().forEachRemaining(e -> config.put(e.getKey(), text(e.getValue())));
        page.keyValues(config);
        return page.toHtml("Written by chase from " + dir.root() + "; the numbers are in " + RunSummary.FILE
                + ". Regenerate with: chase report " + Shell.quote(dir.root()));
    }

    private static String widthText(TrainConfig c) {
        return c.width() == 1.0 ? "" : " (width x" + c.width() + ")";
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private void summarySection(HtmlPage page) {
        page.section("summary", "Summary");
        RunSummary.Accuracy a = summary.accuracy();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("test accuracy, last epoch (" + a.finalEpoch() + ")", percent(a.finalTest()));
        rows.put("best test accuracy (epoch " + a.bestEpoch() + ")", percent(a.bestTest()));
        ShrinkReport s = summary.shrink();
        if (s != null) {
            rows.put("test accuracy of the shrunk network: masked / slim / slim after BatchNorm recalibration",
                    percent(s.maskedTestAccuracy()) + " / " + percent(s.slimTestAccuracy()) + " / " + percent(s.recalibratedTestAccuracy()));
        }
        RunSummary.Sparsity sp = summary.sparsity();
        if (sp != null) {
            rows.put("density (of the original weights)", fraction(sp.density()));
            rows.put("live density (of the live structure's weights)", fraction(sp.liveDensity()));
            rows.put("channel sparsity S_c (prunable groups)", fraction(sp.channelSparsity()));
            rows.put("channel sparsity (all conv channels)", fraction(sp.channelSparsityAllConvs()));
        }
        RunSummary.Parameters p = summary.parameters();
        if (p != null) {
            rows.put("conv and linear weights: dense / non-zero / shrunk", count(p.denseWeights()) + " / " + count(p.nonZeros())
                    + " / " + count(p.slimWeights()));
        }
        RunSummary.FlopCounts f = summary.flops();
        if (f != null) {
            rows.put("FLOPs per image, fraction of dense: sparse / dense-of-slim", fraction(f.sparseFraction()) + " / "
                    + fraction(f.slimFraction()));
            rows.put("training FLOPs, fraction of dense training", fraction(f.trainingFraction()));
        }
        rows.put("training time (training passes, evaluation excluded)", duration(summary.trainingSeconds()));
        page.keyValues(rows);
    }

    private void curves(HtmlPage page) {
        page.section("curves", "Accuracy and loss");
        page.chart(Charts.lines("Accuracy", "epoch", "% top-1", List.of(
                series("train", m -> 100 * m.trainAccuracy()), series("test", m -> 100 * m.testAccuracy()))),
                WIDTH, HEIGHT, "accuracy per epoch, train and test");
        page.chart(Charts.lines("Loss", "epoch", "cross-entropy", List.of(
                series("train", EpochMetrics::trainLoss), series("test", EpochMetrics::testLoss))),
                WIDTH, HEIGHT, "loss per epoch, train and test");
        if (!history.isEmpty() && history.stream().allMatch(m -> m.stepLoss() != null)) {
            double[] loss = history.stream().flatMap(m -> m.stepLoss().stream()).mapToDouble(Float::doubleValue).toArray();
            double[] step = java.util.stream.IntStream.rangeClosed(1, loss.length).asDoubleStream().toArray();
            page.chart(Charts.lines("Training loss per step", "step", "cross-entropy",
                    List.of(new Charts.Series("train", step, loss))), WIDTH, HEIGHT,
                    "training loss of every step: a spike or a plateau near ln(classes) shows a stall");
        }
    }

    /** Training images per second, epoch by epoch: where shrinking while training pays off. */
    private void trainingSpeed(HtmlPage page) {
        page.section("training-speed", "Training speed");
        page.chart(Charts.lines("Training throughput", "epoch", "training images/s", List.of(
                series("training images/s", EpochMetrics::trainImagesPerSecond))), WIDTH, HEIGHT,
                "training images per second per epoch (training passes only, evaluation excluded)");
        if (summary.config().dstMethod().prunesChannels()) {
            page.paragraph("note", Boolean.TRUE.equals(summary.config().shrinkDuringTraining())
                    ? "The network shrinks after every channel event, so steps get cheaper as channels go."
                    : "Removed channels stay masked until the end (--shrink-during-training false), so steps cost the same"
                            + " throughout.");
        }
    }

    private void sparsity(HtmlPage page) {
        page.section("sparsity", "Density and channel sparsity");
        if (summary.sparsity() == null) {
            page.paragraph("note", "Dense training: no masks, every weight and channel is kept.");
            return;
        }
        List<Charts.Series> lines = new ArrayList<>();
        lines.add(series("density", m -> 100 * m.sparsity().density()));
        if (summary.config().dstMethod().prunesChannels()) {
            lines.add(series("live density", m -> 100 * m.sparsity().liveDensity()));
            lines.add(series("channel sparsity S_c (prunable)", m -> 100 * channels(m, SparsityMetrics.Channels::prunable)));
            lines.add(series("channel sparsity (all convs)", m -> 100 * channels(m, SparsityMetrics.Channels::allConvs)));
        } else {
            page.paragraph("note", "Method " + summary.config().method() + " removes no channels: the channel sparsity stays 0.");
        }
        page.chart(Charts.lines("Density and channel sparsity", "epoch", "%", lines), WIDTH, HEIGHT,
                "density and channel sparsity per epoch");
    }

    private static double channels(EpochMetrics m, ToDoubleFunction<SparsityMetrics.Channels> value) {
        SparsityMetrics.Channels c = m.sparsity().channels();
        return c == null ? 0 : value.applyAsDouble(c);
    }

    private void widths(HtmlPage page) {
        page.section("widths", "Layer widths before and after the shrink");
        ShrinkReport s = summary.shrink();
        if (s == null) {
            page.paragraph("note", summary.config().dstMethod().prunesChannels()
                    ? "No shrink.json yet: a Chase run shrinks when it finishes (or with: chase shrink " + Shell.quote(dir.root()) + ")."
                    : "Method " + summary.config().method() + " removes no channels, so the network keeps its widths.");
            return;
        }
        List<String> groups = new ArrayList<>(s.widthsBefore().keySet());
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put("before", groups.stream().mapToDouble(g -> s.widthsBefore().get(g)).toArray());
        values.put("after", groups.stream().mapToDouble(g -> s.widthsAfter().get(g)).toArray());
        page.chart(Charts.bars("Channels per prunable group", "group", "channels", groups, values), WIDTH, 560,
                "width of every prunable channel group before and after the shrink");
    }

    private void flops(HtmlPage page) {
        page.section("flops", "FLOPs and throughput");
        RunSummary.FlopCounts f = summary.flops();
        if (f == null) {
            page.paragraph("note", "FLOPs are counted once the run has finished (continue it with: chase train --resume "
                    + dir.root() + ").");
        } else {
            List<List<String>> rows = new ArrayList<>();
            RunSummary.Parameters p = summary.parameters();
            rows.add(List.of("dense original", sci(f.dense()), "1", count(p.denseWeights())));
            rows.add(List.of("trained, non-zero weights (sparse)", sci(f.sparse()), fraction(f.sparseFraction()),
                    count(p.nonZeros())));
            if (summary.shrink() != null) {
                rows.add(List.of("shrunk, counted dense (dense-of-slim)", sci(f.slim()), fraction(f.slimFraction()),
                        count(p.slimWeights())));
            }
            page.table(List.of("network", "FLOPs per image", "fraction of dense", "conv and linear weights"), rows);
            page.paragraph(String.format(Locale.ROOT, "Training FLOPs: %s of dense training of the same length (chase flops %s"
                    + " gives the per-layer counts).", fraction(f.trainingFraction()), Shell.quote(dir.root())));
        }
        InferenceBench.Report bench = summary.bench();
        if (bench == null) {
            page.paragraph("note", "Throughput not measured yet; measure it with: chase bench " + Shell.quote(dir.root()));
            return;
        }
        page.paragraph(String.format(Locale.ROOT, "Inference on %dx%d random input, %d threads, median of %d interleaved repeats"
                + " after %d warm-up (chase bench):", bench.inputSize(), bench.inputSize(), bench.threads(), bench.repeats(),
                bench.warmup()));
        List<List<String>> rows = new ArrayList<>();
        for (InferenceBench.Result r : bench.results()) {
            rows.add(List.of(Integer.toString(r.batchSize()), r.network(), fixed(r.millisPerBatch().median()),
                    String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()), times(r.speedup()), times(r.flopsSpeedup()),
                    fixed(r.realisation()), r.noisy() ? "noisy" : ""));
        }
        page.table(List.of("batch", "network", "median ms", "images/s", "speed-up", "FLOPs speed-up", "realised", ""), rows);
    }

    private void channels(HtmlPage page) {
        page.section("channels", "Sparse amenable channels");
        if (!summary.config().dstMethod().sparse()) {
            page.paragraph("note", "Dense training has no masks, so no per-channel densities to analyse.");
            return;
        }
        Optional<ChannelAnalysis> analysis = ChannelAnalysis.of(dir, summary.config(), history);
        if (analysis.isEmpty()) {
            page.paragraph("note", "This run predates the per-channel statistics (metrics.jsonl has no conv-channels entries),"
                    + " so the amenable-channel chart cannot be drawn; train it again to get them.");
            return;
        }
        page.paragraph("Share of alive conv channels whose density is at most alpha times their layer's; chase analyze "
                + dir.root() + " gives the full analysis.");
        page.chart(analysis.get().amenableChart(), WIDTH, 560, "share of sparse amenable channels per epoch");
    }

    private Charts.Series series(String name, ToDoubleFunction<EpochMetrics> value) {
        return new Charts.Series(name, history.stream().mapToDouble(EpochMetrics::epoch).toArray(),
                history.stream().mapToDouble(value).toArray());
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String fraction(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String times(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String sci(double value) {
        return String.format(Locale.ROOT, "%.4e", value);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min %02d s", s / 3600, s % 3600 / 60, s % 60);
    }
}
