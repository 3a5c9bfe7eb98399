package dev.chase.run;

import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataFingerprint;
import dev.chase.graph.GraphFiles;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.io.Shell;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.SavedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The folder that holds everything about one run: {@code config.json} (with its checksum and the
 * data's fingerprint in {@code fingerprints.json}), {@code metrics.jsonl},
 * {@code checkpoints/} (with a {@code latest} pointer), {@code model/} (the final network) and, for
 * Chase runs, {@code model-slim/} (the shrunk network) and {@code shrink.json}; sparse runs also get
 * {@code channels.json} (the final per-channel table); {@code chase bench} adds {@code bench.json}
 * and {@code chase profile} {@code profile.json}. Every file in it is written atomically.
 */
public final class RunDirectory {
    private static final String CONFIG = "config.json";
    private static final String METRICS = "metrics.jsonl";
    private static final String CHECKPOINTS = "checkpoints";
    private static final String LATEST = "latest";
    private static final String CHANNELS = "channels.json";
    private static final String SHRINK = "shrink.json";
    private static final String BENCH = "bench.json";
    private static final String PROFILE = "profile.json";
    private static final String ARCHITECTURE = "architecture.json";

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * Creates a new run directory; refuses one that already holds a run and a folder that holds
     * anything else (besides the {@link RunLock} file), so no run is written among a user's files.
     */
    public static RunDirectory create(Path root) {
        if (Files.exists(root.resolve(CONFIG))) {
            throw new ChaseException("run directory " + root + " already holds a run; continue it with: chase train --resume " + Shell.quote(root)
                    + ", or choose another --run-dir");
        }
        refuseForeign(root);
        try {
            Files.createDirectories(root.resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new ChaseException("cannot create run directory " + root + ": " + AtomicFiles.describe(e), e);
        }
        if (!Files.isWritable(root)) {
            throw new ChaseException("run directory " + root + " is not writable");
        }
        return new RunDirectory(root);
    }

    /**
     * Files chase may have put into a run directory before its {@code config.json}: the lock, and the
     * latency table a {@code --target-latency} run copies first (a process killed in between leaves it).
     */
    private static final List<String> OWN_BEFORE_CONFIG = List.of(RunLock.FILE, LatencyTableFiles.RUN_FILE);

    /** Refuses a folder that is not a run and holds anything but the files above and empty folders. */
    static void refuseForeign(Path root) {
        if (!Files.isDirectory(root) || Files.exists(root.resolve(CONFIG))) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                p -> !OWN_BEFORE_CONFIG.contains(p.getFileName().toString()) && !isEmptyFolder(p))) {
            var it = entries.iterator();
            if (it.hasNext()) {
                throw new ChaseException(root + " is not empty (it holds " + it.next().getFileName()
                        + ") and is not a chase run; choose a new or empty --run-dir");
            }
        } catch (IOException e) {
            throw new ChaseException("cannot read run directory " + root + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static boolean isEmptyFolder(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            return !entries.iterator().hasNext();
        }
    }

    /**
     * Deletes the run in {@code root} so it can be started again ({@code --restart}), if it was
     * stopped before its first checkpoint: then it holds only its config, fingerprints, empty
     * metrics and perhaps a latency table, nothing that took training to make. A run with a
     * checkpoint is refused (continue it with {@code --resume}).
     */
    public static void discardUnstarted(Path root) {
        RunDirectory dir = open(root);
        SortedMap<Integer, Path> saved = dir.checkpoints();
        if (!saved.isEmpty() || dir.latestCheckpoint().isPresent()) {
            throw new ChaseException("run " + root + " already holds " + (saved.isEmpty() ? "a checkpoint" : "the checkpoint of epoch "
                    + saved.lastKey()) + "; --restart only discards a run stopped before its first checkpoint. Continue it with"
                    + " --resume, or choose another --run-dir");
        }
        dir.removeLeftovers();
        try {
            for (String name : List.of(METRICS, RunFingerprints.FILE, LatencyTableFiles.RUN_FILE, ARCHITECTURE, CONFIG)) {
                Files.deleteIfExists(root.resolve(name));
            }
        } catch (IOException e) {
            throw new ChaseException("cannot discard the run in " + root + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Removes a just-created run directory that holds nothing yet (a run that failed to start). */
    public void discardIfEmpty() {
        try {
            Files.deleteIfExists(root.resolve(CHECKPOINTS));
            Files.deleteIfExists(root);
        } catch (IOException e) {
            // not empty, or not ours to remove: leave it
        }
    }

    /** Opens an existing run directory (it must hold a {@code config.json}). */
    public static RunDirectory open(Path root) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new ChaseException(root + " is a file, not a run directory");
        }
        if (!Files.isDirectory(root)) {
            throw new ChaseException("run directory " + root + " does not exist");
        }
        if (!Files.isRegularFile(root.resolve(CONFIG))) {
            throw new ChaseException(root + " is not a chase run directory (no " + CONFIG + ")");
        }
        return new RunDirectory(root);
    }

    /**
     * Deletes what a killed process may have left half-written (hidden temporary files; the
     * complete files are never touched). For the one process that continues the run.
     */
    public void removeLeftovers() {
        for (Path d : new Path[] {root, root.resolve(CHECKPOINTS), modelDir(), slimModelDir()}) {
            AtomicFiles.removeLeftovers(d);
        }
    }

    public Path root() {
        return root;
    }

    public Path configFile() {
        return root.resolve(CONFIG);
    }

    public Path metricsFile() {
        return root.resolve(METRICS);
    }

    /** Folder of the final model (NetSpec + parameters). */
    public Path modelDir() {
        return root.resolve("model");
    }

    /** Folder of the final model, which only a finished run has. */
    public Path finalModelDir() {
        if (!SavedModel.exists(modelDir())) {
            throw new ChaseException("run " + root + " has no final model yet (it is unfinished); continue it with: chase train --resume "
                    + Shell.quote(root));
        }
        return modelDir();
    }

    /** Folder of the physically narrower network that a finished Chase run saves. */
    public Path slimModelDir() {
        return root.resolve("model-slim");
    }

    public void writeConfig(TrainConfig config) {
        AtomicFiles.writeString(configFile(), Json.writePretty(config));
    }

    public TrainConfig readConfig() {
        try {
            return Json.MAPPER.readValue(configFile().toFile(), TrainConfig.class);
        } catch (IOException e) {
            throw Json.error("run config " + configFile(), e);
        }
    }

    /**
     * Keeps the architecture of a run whose model was read from a file ({@code graph:PATH}, {@code
     * onnx:PATH}) as {@code architecture.json}: the run reads this copy from then on, so moving or
     * editing the file cannot change a run.
     */
    public void writeArchitecture(NetSpec spec) {
        AtomicFiles.writeString(root.resolve(ARCHITECTURE), NetSpecs.toJson(spec));
    }

    /** The architecture kept by {@link #writeArchitecture}, if the run has one. */
    public Optional<NetSpec> readArchitecture() {
        Path file = root.resolve(ARCHITECTURE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NetSpecs.fromJson(Files.readString(file)));
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        } catch (ChaseException e) {
            throw new ChaseException(file + ": " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of the bytes of {@code config.json} as it is on disk now. */
    public String configSha256() {
        return RunFingerprints.sha256(configFile());
    }

    /**
     * Records what the run is made of: the checksum of {@code config.json} as written now, the data's fingerprint and the
     * checksum of the file the run's initial weights come from ({@code --init-from-onnx}; null when they are drawn).
     */
    public void writeFingerprints(DataFingerprint data, String initWeightsSha256) {
        AtomicFiles.writeString(root.resolve(RunFingerprints.FILE), Json.writePretty(new RunFingerprints(configSha256(), data,
                initWeightsSha256)));
    }

    /** Reads {@code fingerprints.json}; runs made before chase recorded it have none. */
    public Optional<RunFingerprints> readFingerprints() {
        return readIfPresent(root.resolve(RunFingerprints.FILE), RunFingerprints.class);
    }

    /**
     * Why this run, if stopped before its first checkpoint, cannot start again from the file its initial weights come from
     * ({@code --init-from-onnx}): the file is gone, or its checksum differs from the one in {@code recorded}; empty when it
     * can, when the run drew its weights, or when no checksum was recorded (a run made by an older chase).
     */
    public Optional<String> initWeightsChange(TrainConfig config, RunFingerprints recorded) {
        String sha256 = recorded.initWeightsSha256();
        if (sha256 == null || !Boolean.TRUE.equals(config.initFromOnnx())) {
            return Optional.empty();
        }
        Path file = GraphFiles.path(config.model());
        String why = !Files.isRegularFile(file) ? "is gone"
                : RunFingerprints.sha256(file).equals(sha256) ? null
                : "has changed (its SHA-256 differs from the one in " + RunFingerprints.FILE + ")";
        return Optional.ofNullable(why).map(w -> "run " + root + " starts from step 0 (it has no checkpoint) with the weights in "
                + file + ", which " + w + " since the run started; put the original file back, or start over from the file as it is"
                + " now: chase train --recipe " + Shell.quote(configFile()) + " --run-dir " + Shell.quote(root) + " --restart");
    }

    /** Refuses a {@code config.json} that was changed after the run recorded its checksum. */
    public void checkConfigUnchanged() {
        readFingerprints().ifPresent(f -> {
            if (!configSha256().equals(f.configSha256())) {
                throw new ChaseException(configFile() + " was changed after the run started (its SHA-256 differs from the one in "
                        + RunFingerprints.FILE + "), so continuing would mix two configurations; restore it, or start a new"
                        + " run with the changed settings: chase train --recipe " + Shell.quote(configFile()) + " --run-dir NEW_DIR");
            }
        });
    }

    /** Replaces {@code metrics.jsonl} with one JSON line per record. */
    public void writeMetrics(List<EpochMetrics> records) {
        String text = records.stream().map(Json::write).collect(Collectors.joining("\n", "", records.isEmpty() ? "" : "\n"));
        AtomicFiles.writeString(metricsFile(), text);
    }

    /** Reads {@code metrics.jsonl} (empty if absent). */
    public List<EpochMetrics> readMetrics() {
        Path file = metricsFile();
        if (!Files.exists(file)) {
            return List.of();
        }
        List<EpochMetrics> out = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(Json.MAPPER.readValue(line, EpochMetrics.class));
                } catch (IOException e) {
                    throw Json.error(file + " line " + lineNo, e);
                }
            }
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        return out;
    }

    /**
     * Why the {@code logged} epochs (as {@link #readMetrics()} gives them) do not reach {@code epoch} (a checkpoint's), if
     * they do not. Each epoch is logged before its checkpoint is written, so a gap means the file was deleted, emptied or
     * edited; the way out is the newest checkpoint the log still covers, or a new run.
     */
    public Optional<String> metricsGap(List<EpochMetrics> logged, int epoch) {
        Set<Integer> epochs = logged.stream().map(EpochMetrics::epoch).collect(Collectors.toSet());
        int covered = 0;
        while (epochs.contains(covered + 1)) {
            covered++;
        }
        if (covered >= epoch) {
            return Optional.empty();
        }
        int coveredEpochs = covered;
        String wayBack = checkpoints().keySet().stream().filter(e -> e <= coveredEpochs).max(Integer::compare)
                .map(e -> "go back to epoch " + e + ": chase train --resume " + Shell.quote(root) + " --from-checkpoint " + e)
                .orElse("start the run again in a new --run-dir");
        String logs = covered == 0 ? "no epoch" : covered == 1 ? "only epoch 1" : "only epochs 1 to " + covered;
        return Optional.of(metricsFile() + " logs " + logs + ", but the run has a checkpoint after epoch " + epoch + ": the file was"
                + " deleted or edited, and the summary and report would leave the missing epochs out. Restore the file, or " + wayBack);
    }

    /** {@code channels.json}: the final per-channel table of a sparse run. */
    public Path channelsFile() {
        return root.resolve(CHANNELS);
    }

    public void writeChannels(ChannelTable table) {
        AtomicFiles.writeString(channelsFile(), Json.writePretty(table));
    }

    /** Reads {@code channels.json}, if the run has written it (sparse runs, when finished). */
    public Optional<ChannelTable> readChannels() {
        return readIfPresent(channelsFile(), ChannelTable.class);
    }

    /** {@code shrink.json}: what the physical shrink of a Chase run produced. */
    public Path shrinkFile() {
        return root.resolve(SHRINK);
    }

    public void writeShrink(ShrinkReport report) {
        AtomicFiles.writeString(shrinkFile(), Json.writePretty(report));
    }

    /** Reads {@code shrink.json}, if the run has one (finished Chase runs). */
    public Optional<ShrinkReport> readShrink() {
        return readIfPresent(shrinkFile(), ShrinkReport.class);
    }

    /** {@code bench.json}: the inference measurement that {@code chase bench} writes. */
    public Path benchFile() {
        return root.resolve(BENCH);
    }

    /** {@code profile.json}: the op-by-op timings that {@code chase profile} writes. */
    public Path profileFile() {
        return root.resolve(PROFILE);
    }

    private static <T> Optional<T> readIfPresent(Path file, Class<T> type) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw Json.error(file.toString(), e);
        }
    }

    /** Path of the checkpoint file for a completed epoch. */
    public Path checkpointFile(int epoch) {
        return root.resolve(CHECKPOINTS).resolve(String.format("epoch-%04d.ckpt", epoch));
    }

    /**
     * Makes the (already completely written) checkpoint of {@code epoch} the latest one, then
     * deletes all older checkpoints but the previous one, so a crash at any moment leaves at least
     * one complete checkpoint that the pointer names.
     */
    public void publishCheckpoint(int epoch) {
        Path file = checkpointFile(epoch);
        AtomicFiles.writeString(root.resolve(CHECKPOINTS).resolve(LATEST), file.getFileName() + "\n");
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root.resolve(CHECKPOINTS), "epoch-*.ckpt")) {
            Path previous = epoch > 1 ? checkpointFile(epoch - 1) : null;
            for (Path p : all) {
                if (!p.equals(file) && !p.equals(previous)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new ChaseException("cannot clean old checkpoints in " + root + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** The checkpoint files present, by epoch. */
    public SortedMap<Integer, Path> checkpoints() {
        SortedMap<Integer, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root.resolve(CHECKPOINTS), "epoch-*.ckpt")) {
            for (Path p : all) {
                String digits = p.getFileName().toString().replaceAll("\\D", "");
                if (digits.length() >= 4 && digits.length() <= 9) {
                    found.put(Integer.parseInt(digits), p);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return found;
        } catch (IOException e) {
            throw new ChaseException("cannot list the checkpoints of " + root + ": " + AtomicFiles.describe(e), e);
        }
        return found;
    }

    /** The checkpoint of {@code epoch}, which must be present (for going back to an earlier one). */
    public Path checkpoint(int epoch) {
        SortedMap<Integer, Path> all = checkpoints();
        if (!all.containsKey(epoch)) {
            throw new ChaseException("run " + root + " holds no checkpoint of epoch " + epoch + (all.isEmpty() ? " (it holds none)"
                    : "; it holds epochs " + all.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))));
        }
        return all.get(epoch);
    }

    /** The checkpoint the {@code latest} pointer names, if any. */
    public Optional<Path> latestCheckpoint() {
        Path pointer = root.resolve(CHECKPOINTS).resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
            if (!name.matches("epoch-\\d{4,}\\.ckpt")) {
                throw new ChaseException("checkpoint pointer " + pointer + " is corrupt ('" + name + "')");
            }
            Path file = pointer.resolveSibling(name);
            if (!Files.isRegularFile(file)) {
                throw new ChaseException("checkpoint pointer " + pointer + " names a missing file " + name);
            }
            return Optional.of(file);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + pointer + ": " + AtomicFiles.describe(e), e);
        }
    }
}
