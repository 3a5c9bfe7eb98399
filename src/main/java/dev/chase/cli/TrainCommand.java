package dev.chase.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.ChaseException;
import dev.chase.bench.LatencyProfiler;
import dev.chase.channel.ChannelBudget;
import dev.chase.channel.ChannelController;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.graph.GraphFiles;
import dev.chase.io.Json;
import dev.chase.io.Shell;
import dev.chase.method.Intervals;
import dev.chase.model.NetSpec;
import dev.chase.run.EpochMetrics;
import dev.chase.run.LatencyTableFiles;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunLock;
import dev.chase.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chase train}: trains a network in a new run directory, or resumes one. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Train a network, or resume a run; checkpointed every epoch.",
            "Every epoch is evaluated, logged to metrics.jsonl and checkpointed.",
            "At the end (or at --until-epoch) the run's report is written: summary.json and report.html.",
            "Flags can also come from a recipe file (--recipe); flags on the command line win."})
final class TrainCommand implements Callable<Integer> {
    /** Flags that may accompany --resume: they do not change the result. */
    private static final List<String> RESUME_FLAGS = List.of("--resume", "--threads", "--until-epoch", "--from-checkpoint",
            "--data-dir");

    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--recipe", paramLabel = "FILE", description = "YAML or JSON file whose keys mirror these flags (e.g. 'batch-size: 100').")
    Path recipe;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory to create (default: runs/<model>-<dataset>-<time>).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its latest checkpoint.")
    Path resume;

    @Option(names = "--until-epoch", paramLabel = "N", description = "Stop after epoch N (checkpointed); --resume continues later.")
    Integer untilEpoch;

    @Option(names = "--from-checkpoint", paramLabel = "EPOCH",
            description = "With --resume: continue from the checkpoint of this epoch instead of the latest (newer ones are discarded).")
    Integer fromCheckpoint;

    @Option(names = "--restart", description = "Start the run in --run-dir again from scratch; only for a run stopped before its first checkpoint.")
    boolean restart;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar progress = ProgressBar.forTerminal(out);
        if (untilEpoch != null) {
            Flags.positive("--until-epoch", untilEpoch);
        }
        int until = untilEpoch == null ? Integer.MAX_VALUE : untilEpoch;
        if (fromCheckpoint != null && resume == null) {
            throw new ChaseException("--from-checkpoint chooses where --resume continues; give --resume RUN_DIR too");
        }
        if (restart && (resume != null || runDir == null)) {
            throw new ChaseException(resume != null ? "--restart starts a run again from scratch; it cannot be combined with --resume"
                    : "--restart starts the run in --run-dir again; give --run-dir DIR");
        }
        try (StopOnSignal signal = new StopOnSignal(spec.commandLine().getErr())) {
            return resume != null ? resume(out, signal, until, progress) : start(out, signal, until, progress);
        }
    }

    private int resume(PrintWriter out, StopOnSignal signal, int until, ProgressBar progress) {
        try (RunLock lock = RunLock.acquireRun(resume)) {
            TrainConfig saved = RunDirectory.open(resume).readConfig();
            refuseFlagsBesidesResume(saved);
            refuseUntilBeyond(saved);
            String dataDir = options.dataDir != null ? options.dataDir : saved.dataDir();
            DataBundle data = DataCatalog.open(saved.dataset(), dataDir, saved.download());
            TrainingRun run = TrainingRun.resume(resume, data, new TrainingRun.ResumeFrom(fromCheckpoint, options.dataDir));
            signal.stops(run);
            out.printf(run.epoch() == 0 ? "starting %s again from step 0 (it was stopped before its first checkpoint)%n"
                    : "resuming %s after epoch %d of %d%n", resume, run.epoch(), saved.epochs());
            return trainAndReport(out, signal, run, until, progress);
        }
    }

    private int start(PrintWriter out, StopOnSignal signal, int until, ProgressBar progress) {
        TrainConfig config = options.toConfig();
        refuseUntilBeyond(config);
        if (config.epochs() == 1 && "step".equalsIgnoreCase(config.lrSchedule())) {
            out.printf(Locale.ROOT, "note: the step schedule drops the rate x0.1 at epoch E/2 and x0.01 at 3E/4 (integer division, as"
                    + " the reference), so a 1-epoch run trains at %s throughout; --lr-schedule cosine suits short runs%n",
                    config.lr() * 0.01);
        }
        DataBundle data = DataCatalog.open(config.dataset(), config.dataDir(), config.download());
        if (config.batchSize() > data.train().size()) {
            throw new ChaseException("--batch-size " + config.batchSize() + " is larger than the training set (" + data.train().size()
                    + " images); give at most --batch-size " + data.train().size());
        }
        Intervals.requireEvents(RunConfig.from(config), (data.train().size() + config.batchSize() - 1) / config.batchSize());
        if (config.targetLatency() != null) {
            if (config.roundTo() == null || config.roundTo() == 1) {
                out.println("note: the latency table interpolates between a few timed widths; on some CPUs widths that are not"
                        + " multiples of 8 run far slower than that (docs/measuring-speed.md); --round-to 8 avoids them");
            }
            // The run reads its table when it starts; measure it here, where progress can be shown.
            NetSpec net = TrainingRun.newRunSpec(config, data);
            LatencyProfiler.obtain(LatencyTableFiles.file(config, net), LatencyTableFiles.key(config, net), net,
                    LatencyProfiler.Settings.defaults(), line -> {
                        out.println(line);
                        out.flush();
                    });
        }
        try (RunLock lock = runDir != null ? RunLock.acquire(runDir) : RunLock.acquireNew(defaultRunDir(config))) {
            if (restart && java.nio.file.Files.exists(runDir.resolve("config.json"))) {
                RunDirectory.discardUnstarted(runDir);
                out.printf("discarded the run in %s, which had no checkpoint yet%n", runDir);
            }
            TrainingRun run = TrainingRun.create(lock.root(), config, data);
            signal.stops(run);
            out.printf("training %s on %s for %d epochs in %s%n", config.model(), config.dataset(), config.epochs(), lock.root());
            if (Boolean.TRUE.equals(config.initFromOnnx())) {
                out.println("starting from the weights in " + GraphFiles.path(config.model()));
                run.initNotes().forEach(note -> out.println("note: " + note));
            }
            return trainAndReport(out, signal, run, until, progress);
        }
    }

    /** Trains {@code run} (whose directory the caller has locked) and writes its report. */
    private static int trainAndReport(PrintWriter out, StopOnSignal signal, TrainingRun run, int until, ProgressBar progress) {
        int code = train(out, signal, run, until, progress);
        if (!run.history().isEmpty()) {
            ReportCommand.write(out, run.directory().root());
        }
        return code;
    }

    /**
     * Trains {@code run} (closing it after) and prints the result. When {@code signal} stopped it,
     * this says what is lost; the result's last line says how to continue.
     *
     * @return 0, or 128 + the number of the signal that stopped an unfinished run
     */
    static int train(PrintWriter out, StopOnSignal signal, TrainingRun run, int until, ProgressBar progress) {
        out.flush();
        try (run) {
            boolean done = run.train(until, progress);
            if (signal.signalled() && !done) {
                long lost = run.abandonedSteps();
                out.println(lost == 0 ? "interrupted after epoch " + run.epoch() + "; nothing is lost"
                        : "interrupted in epoch " + (run.epoch() + 1) + ": its " + (lost == 1 ? "1 step since the last checkpoint is"
                                : lost + " steps since the last checkpoint are") + " lost");
            }
            report(out, run, done);
            return done ? 0 : signal.exitCode(0);
        }
    }

    private void refuseUntilBeyond(TrainConfig config) {
        if (untilEpoch != null && untilEpoch > config.epochs()) {
            throw new ChaseException("--until-epoch " + untilEpoch + " is beyond the run's " + config.epochs()
                    + (config.epochs() == 1 ? " epoch" : " epochs") + "; give at most --until-epoch " + config.epochs() + (resume == null ? ", or more --epochs" : ""));
        }
    }

    /** Refuses every flag that could change the result, naming it and the run's own value. */
    private void refuseFlagsBesidesResume(TrainConfig saved) {
        if (recipe != null) {
            throw new ChaseException("--resume continues the run exactly as configured in " + resume.resolve("config.json")
                    + "; remove --recipe");
        }
        JsonNode savedValues = Json.MAPPER.valueToTree(saved);
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String flag = o.longestName();
            if (RESUME_FLAGS.contains(flag)) {
                continue;
            }
            JsonNode was = savedValues.get(flag.substring(2));
            Object parsed = o.getValue();
            String given = String.valueOf(parsed);
            String value = was == null ? "" : was.asText().equals(given)
                    ? " (the run already has " + flag.substring(2) + " " + given + ")"
                    : " (the run has " + flag.substring(2) + " " + was.asText() + ", not " + given + ")";
            throw new ChaseException("--resume continues the run exactly as configured in " + resume.resolve("config.json")
                    + "; remove " + flag + value + "; only " + String.join(", ", RESUME_FLAGS.subList(1, RESUME_FLAGS.size()))
                    + " may accompany --resume");
        }
    }

    static Path defaultRunDir(TrainConfig config) {
        String model = config.model();
        if (GraphFiles.isFile(model)) { // onnx:dir/net.onnx -> net
            String file = GraphFiles.path(model).getFileName().toString();
            model = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        }
        return Path.of("runs", model + "-" + config.dataset() + "-" + timestamp());
    }

    /** Local time as yyyyMMdd-HHmmss, for run directory names. */
    static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    }

    static void report(PrintWriter out, TrainingRun run, boolean done) {
        List<EpochMetrics> history = run.history();
        if (history.isEmpty()) {
            out.printf("run directory: %s (no epoch finished; continue with: chase train --resume %s)%n", run.directory().root(),
                    Shell.quote(run.directory().root()));
            out.flush();
            return;
        }
        EpochMetrics last = history.get(history.size() - 1);
        double best = history.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(Double.NaN);
        out.printf(Locale.ROOT, "%s after epoch %d: test accuracy %.2f%% (best %.2f%%), test loss %.4f%n",
                done ? "finished" : "stopped", last.epoch(), 100 * last.testAccuracy(), 100 * best, last.testLoss());
        dev.chase.run.ShrinkReport shrink = run.shrinkReport();
        if (shrink != null) {
            String logits = shrink.maxLogitDifference() == null ? ""
                    : String.format(Locale.ROOT, " (logits differ by at most %.2g)", shrink.maxLogitDifference());
            out.printf(Locale.ROOT, "shrunk: %d -> %d conv/linear weights (%.1f%%); test accuracy masked %.2f%%, slim %.2f%%%s,"
                    + " slim after BatchNorm recalibration %.2f%%; slim model in %s%n",
                    shrink.denseWeights(), shrink.slimWeights(), 100.0 * shrink.slimWeights() / shrink.denseWeights(),
                    100 * shrink.maskedTestAccuracy(), 100 * shrink.slimTestAccuracy(), logits,
                    100 * shrink.recalibratedTestAccuracy(), shrink.slimModelDir());
            out.println("  group widths (before -> after):");
            String row = "    %-" + Math.max(24, shrink.widthsBefore().keySet().stream().mapToInt(String::length).max().orElse(0))
                    + "s %4d -> %4d%n";
            shrink.widthsBefore().forEach((name, w) -> out.printf(row, name, w, shrink.widthsAfter().get(name)));
        }
        ChannelController channels = run.sparse() == null ? null : run.sparse().channels();
        if (channels != null && channels.costFraction() != null) {
            ChannelBudget budget = channels.budget();
            int roundTo = run.config().roundTo() == null ? 1 : run.config().roundTo();
            out.printf(Locale.ROOT, "channel budget: predicted %s of the live network %.4f of dense (target %s)%s%n",
                    budget.kind() == ChannelBudget.Kind.FLOPS ? "FLOPs" : "latency", channels.costFraction(),
                    budget.goal(), done && channels.costFraction() > budget.goal() + 0.01
                            ? "; the floors (--min-ratio)" + (roundTo > 1 ? ", widths kept at multiples of " + roundTo + " (--round-to)" : "")
                                    + " or an early last event (--channel-interval, --channel-end) stopped it" : "");
        }
        out.printf("run directory: %s%s%n", run.directory().root(),
                done ? " (final model in " + run.directory().modelDir() + ")" : " (continue with: chase train --resume " + Shell.quote(run.directory().root()) + ")");
        out.flush();
    }
}
