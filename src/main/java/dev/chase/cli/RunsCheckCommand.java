package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.graph.GraphFiles;
import dev.chase.io.Shell;
import dev.chase.model.SavedModel;
import dev.chase.run.Checkpoint;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunFingerprints;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chase runs check DIR}: the state of a run directory — configuration checksum, recorded
 * data fingerprint, the {@code --init-from-onnx} file if any, epochs logged, every checkpoint
 * verified (which is the latest), final model — and, when something is wrong, the command that
 * recovers. Reads only; takes no lock.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a run directory and every checkpoint in it.",
            "Check a run directory: config checksum, data fingerprint, the --init-from-onnx file if any, metrics, every"
                + " checkpoint (verified), final model.",
            "Exit code 0 when the run is consistent, 1 when something is wrong (each problem is named with a way out)."})
final class RunsCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunDirectory run = RunDirectory.open(dir);
        List<String> problems = new ArrayList<>();
        TrainConfig config = readConfig(run, problems);
        if (config != null) {
            out.printf(Locale.ROOT, "run %s: %s %s on %s, %d epochs%n", dir, config.method(), config.model(), config.dataset(),
                    config.epochs());
        }
        Optional<RunFingerprints> fingerprints = readFingerprints(run, problems);
        if (fingerprints.isEmpty()) {
            out.println("config.json       no checksum recorded (a run made by an older chase)");
        } else if (fingerprints.get().configSha256().equals(run.configSha256())) {
            out.println("config.json       unchanged since the run started");
        } else {
            out.println("config.json       CHANGED since the run started (its SHA-256 differs from " + RunFingerprints.FILE + ")");
            problems.add("config.json was edited; restore it, or start a new run from it: chase train --recipe "
                    + Shell.quote(run.configFile()) + " --run-dir NEW_DIR");
        }
        fingerprints.ifPresent(f -> out.printf(Locale.ROOT, "data              %d training and %d test images, %d classes (SHA-256 %s...)%n",
                f.data().trainImages(), f.data().testImages(), f.data().classes(), f.data().sha256().substring(0, 12)));
        Optional<List<EpochMetrics>> metrics = readMetrics(run, problems);
        int logged = metrics.map(m -> (int) m.stream().map(EpochMetrics::epoch).distinct().count()).orElse(0);
        out.printf(Locale.ROOT, "metrics.jsonl     %d epoch%s logged%n", logged, logged == 1 ? "" : "s");

        Integer latest = latestEpoch(run, problems);
        SortedMap<Integer, Path> checkpoints = run.checkpoints();
        out.println(checkpoints.isEmpty() ? "checkpoints       none (stopped before its first; --resume starts it from step 0)"
                : "checkpoints");
        Integer newestGood = null;
        boolean latestGood = false;
        for (Map.Entry<Integer, Path> c : checkpoints.entrySet()) {
            String state;
            try {
                Checkpoint.Header h = Checkpoint.readHeader(c.getValue());
                state = String.format(Locale.ROOT, "ok, step %d, best test accuracy %.2f%%", h.step(), 100 * h.bestTestAccuracy());
                newestGood = c.getKey();
                latestGood |= c.getKey().equals(latest);
            } catch (ChaseException e) {
                state = "UNREADABLE: " + e.getMessage();
            }
            out.printf(Locale.ROOT, "  epoch %-4d %s%s%n", c.getKey(), state, c.getKey().equals(latest) ? "  (latest)" : "");
        }
        if (config != null && fingerprints.map(RunFingerprints::initWeightsSha256).isPresent()) {
            Optional<String> change = run.initWeightsChange(config, fingerprints.get());
            out.println("initial weights   " + GraphFiles.path(config.model()) + (change.isEmpty() ? " unchanged since the run started"
                    : " CHANGED or gone since the run started" + (checkpoints.isEmpty() ? "" : " (not needed: the run has checkpoints)")));
            if (checkpoints.isEmpty()) {
                change.ifPresent(problems::add);
            }
        }
        if (latestGood && metrics.isPresent()) { // an unreadable metrics.jsonl is already a problem of its own
            run.metricsGap(metrics.get(), latest).ifPresent(problems::add);
        }
        if (latest != null && !latestGood) {
            problems.add("the latest checkpoint (epoch " + latest + ") is unreadable; " + (newestGood == null
                    ? "no other checkpoint is readable: start the run again in a new --run-dir"
                    : "go back to epoch " + newestGood + ": chase train --resume " + Shell.quote(dir) + " --from-checkpoint " + newestGood));
        }
        boolean finished = SavedModel.exists(run.modelDir());
        out.println("final model       " + (finished ? "present (the run is finished)" : "absent (the run is unfinished)"));
        if (finished && SavedModel.exists(run.slimModelDir())) {
            out.println("slim model        present");
        }
        if (problems.isEmpty()) {
            out.println("ok");
            out.flush();
            return 0;
        }
        problems.forEach(p -> out.println("problem: " + p));
        out.flush();
        return 1;
    }

    private static TrainConfig readConfig(RunDirectory run, List<String> problems) {
        try {
            return run.readConfig();
        } catch (ChaseException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static Optional<RunFingerprints> readFingerprints(RunDirectory run, List<String> problems) {
        try {
            return run.readFingerprints();
        } catch (ChaseException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<List<EpochMetrics>> readMetrics(RunDirectory run, List<String> problems) {
        try {
            return Optional.of(run.readMetrics());
        } catch (ChaseException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private static Integer latestEpoch(RunDirectory run, List<String> problems) {
        try {
            Optional<Path> latest = run.latestCheckpoint();
            return latest.flatMap(p -> run.checkpoints().entrySet().stream().filter(e -> e.getValue().equals(p))
                    .map(Map.Entry::getKey).findFirst()).orElse(null);
        } catch (ChaseException e) {
            problems.add(e.getMessage() + "; point it at a good checkpoint: chase train --resume " + Shell.quote(run.root())
                    + " --from-checkpoint EPOCH");
            return null;
        }
    }
}
