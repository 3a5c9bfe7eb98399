package dev.chase.sweep;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The layout of a sweep folder: {@code sweep.json} (the plan), {@code runs/NAME/} (one run
 * directory per entry), {@code recipes/NAME.json} (the recipe each entry's {@code chase train} is
 * started with), {@code logs/NAME.out} and {@code logs/NAME.err} (its output, appended over
 * attempts), {@code state/NAME.json} (how its last attempt ended) and the results
 * {@code sweep-results.md}, {@code sweep-results.json} and {@code compare/}.
 */
public record SweepFolder(Path root) {
    public Path runDir(SweepEntry e) {
        return root.resolve("runs").resolve(e.name());
    }

    public Path recipeFile(SweepEntry e) {
        return root.resolve("recipes").resolve(e.name() + ".json");
    }

    public Path outLog(SweepEntry e) {
        return root.resolve("logs").resolve(e.name() + ".out");
    }

    public Path errLog(SweepEntry e) {
        return root.resolve("logs").resolve(e.name() + ".err");
    }

    public Path stateFile(SweepEntry e) {
        return root.resolve("state").resolve(e.name() + ".json");
    }

    /** Whether the entry's run directory holds a run (its {@code config.json}). */
    public boolean started(SweepEntry e) {
        return Files.isRegularFile(runDir(e).resolve("config.json"));
    }

    /** Whether the entry's run has finished: its run directory holds the final model. */
    public boolean finished(SweepEntry e) {
        return started(e) && SavedModel.exists(RunDirectory.open(runDir(e)).modelDir());
    }

    /** The entry's status: finished runs count as finished whatever their state file says. */
    public EntryStatus status(SweepEntry e) {
        if (finished(e)) {
            return EntryStatus.FINISHED;
        }
        if (record(e).map(EntryRecord::failed).orElse(false)) {
            return EntryStatus.FAILED;
        }
        return started(e) ? EntryStatus.UNFINISHED : EntryStatus.PENDING;
    }

    /** The entry's last recorded attempt, if any. */
    public Optional<EntryRecord> record(SweepEntry e) {
        Path file = stateFile(e);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), EntryRecord.class));
        } catch (IOException ex) {
            throw Json.error(file.toString(), ex);
        }
    }

    public void writeRecord(SweepEntry e, EntryRecord r) {
        AtomicFiles.writeString(stateFile(e), Json.writePretty(r));
    }

    /** Writes the recipe the entry's {@code chase train} starts from: its config, every value as text. */
    public Path writeRecipe(SweepEntry e) {
        Path file = recipeFile(e);
        AtomicFiles.writeString(file, Json.writePretty(e.config()));
        return file;
    }

    /** Creates the folders the runs write into. */
    public void createFolders() {
        for (String d : new String[] {"runs", "recipes", "logs", "state"}) {
            create(d);
        }
    }

    /**
     * Creates {@code logs/}, where a Slurm array task's output goes: slurmd opens that file before
     * the task starts, and fails the task when its folder is missing.
     */
    public Path createLogs() {
        return create("logs");
    }

    private Path create(String d) {
        try {
            return Files.createDirectories(root.resolve(d));
        } catch (IOException ex) {
            throw new ChaseException("cannot create " + root.resolve(d) + ": " + AtomicFiles.describe(ex), ex);
        }
    }

    /** The counts of entries per status, for a plan. */
    public Map<EntryStatus, Long> counts(SweepPlan plan) {
        Map<EntryStatus, Long> counts = new java.util.EnumMap<>(EntryStatus.class);
        for (EntryStatus s : EntryStatus.values()) {
            counts.put(s, 0L);
        }
        plan.entries().forEach(e -> counts.merge(status(e), 1L, Long::sum));
        return counts;
    }
}
