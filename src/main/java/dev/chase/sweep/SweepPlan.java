package dev.chase.sweep;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The expanded sweep, the content of {@code sweep.json} and the single truth of which runs belong
 * to a sweep. The entries are every explicit run (or the base alone when there are none) crossed
 * with the cartesian product of the axes, the first axis varying slowest; each entry's config is
 * the base recipe overridden by its run's keys and then its axis values.
 *
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param sweepFile the sweep file it was expanded from, as given
 * @param entries the runs, indexed from 0
 * @param baseline the keys that pick the baseline configuration; empty when none
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record SweepPlan(int formatVersion, String sweepFile, List<SweepEntry> entries, Map<String, String> baseline) {
    public static final int FORMAT_VERSION = 1;
    /** The plan's file name in the sweep folder. */
    public static final String FILE = "sweep.json";
    /** The most entries a sweep may have: more is a mistake in an axis, not a grid anyone trains. */
    public static final int MAX_ENTRIES = 10_000;

    public SweepPlan {
        entries = List.copyOf(entries);
        baseline = Collections.unmodifiableMap(new LinkedHashMap<>(baseline == null ? Map.of() : baseline));
    }

    /**
     * Expands a sweep file.
     *
     * @throws ChaseException if two entries have the same config, or the baseline matches no entry
     */
    public static SweepPlan expand(SweepSpec spec) {
        List<Map<String, String>> runs = spec.runs().isEmpty() ? List.of(Map.of()) : spec.runs();
        refuseOversized(spec, runs.size());
        List<Map<String, String>> configs = new ArrayList<>();
        for (Map<String, String> run : runs) {
            Map<String, String> start = new LinkedHashMap<>(spec.base());
            start.putAll(run);
            cross(start, spec.axes(), 0, configs);
        }
        Map<Map<String, String>, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            Integer first = firstIndex.putIfAbsent(configs.get(i), i);
            if (first != null) {
                throw new ChaseException("sweep file " + spec.file() + ": entries " + first + " and " + i + " are the same run "
                        + configs.get(i) + "; remove one of them");
            }
        }
        if (!spec.baseline().isEmpty()
                && configs.stream().noneMatch(c -> c.entrySet().containsAll(spec.baseline().entrySet()))) {
            throw new ChaseException("sweep file " + spec.file() + ": baseline " + spec.baseline() + " matches no run of the sweep");
        }
        List<String> names = RunNames.of(configs);
        List<SweepEntry> entries = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            entries.add(new SweepEntry(i, names.get(i), configs.get(i)));
        }
        return new SweepPlan(FORMAT_VERSION, spec.file().toString(), entries, spec.baseline());
    }

    private static void refuseOversized(SweepSpec spec, int runs) {
        double entries = runs;
        List<String> factors = new ArrayList<>(runs > 1 ? List.of(runs + " runs") : List.of());
        for (SweepSpec.Axis a : spec.axes()) {
            entries *= a.values().size();
            factors.add(a.key() + " " + a.values().size());
        }
        if (entries > MAX_ENTRIES) {
            throw new ChaseException(String.format(Locale.ROOT, "sweep file %s expands to %,.0f runs (%s); a sweep holds at most %,d:"
                    + " shorten an axis or split the sweep into several files", spec.file(), entries, String.join(" x ", factors),
                    MAX_ENTRIES));
        }
    }

    private static void cross(Map<String, String> partial, List<SweepSpec.Axis> axes, int axis, List<Map<String, String>> out) {
        if (axis == axes.size()) {
            out.add(partial);
            return;
        }
        SweepSpec.Axis a = axes.get(axis);
        for (String v : a.values()) {
            Map<String, String> next = new LinkedHashMap<>(partial);
            next.put(a.key(), v);
            cross(next, axes, axis + 1, out);
        }
    }

    /** The entry with an index. */
    public SweepEntry entry(int index) {
        if (index < 0 || index >= entries.size()) {
            throw new ChaseException("--only " + index + " is not an entry of this sweep: its entries are 0 to " + (entries.size() - 1));
        }
        return entries.get(index);
    }

    /** Reads {@code sweep.json} from a sweep folder, if it has one. */
    public static Optional<SweepPlan> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SweepPlan plan = Json.MAPPER.readValue(file.toFile(), SweepPlan.class);
            if (plan.formatVersion() != FORMAT_VERSION) {
                throw new ChaseException(file + " has format " + plan.formatVersion() + "; this chase reads format " + FORMAT_VERSION);
            }
            return Optional.of(plan);
        } catch (IOException e) {
            throw Json.error(file.toString(), e);
        }
    }

    /**
     * Makes this plan the sweep folder's {@code sweep.json}: writes it (atomically) when the folder
     * has none, keeps the existing one when it holds the same entries (updating its baseline), and
     * refuses when the sweep file now expands to different entries.
     */
    public void settle(Path dir) {
        Optional<SweepPlan> existing = read(dir);
        if (existing.isPresent() && !existing.get().entries().equals(entries)) {
            throw new ChaseException(describeChange(dir, existing.get()));
        }
        if (existing.isEmpty() || !existing.get().baseline().equals(baseline)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ChaseException("cannot create sweep folder " + dir + ": " + AtomicFiles.describe(e), e);
            }
            AtomicFiles.writeString(dir.resolve(FILE), Json.writePretty(this));
        }
    }

    private String describeChange(Path dir, SweepPlan old) {
        String first;
        if (old.entries().size() != entries.size()) {
            first = "it had " + old.entries().size() + " entries and now expands to " + entries.size();
        } else {
            int i = 0;
            while (old.entries().get(i).equals(entries.get(i))) {
                i++;
            }
            first = "entry " + i + " was " + old.entries().get(i).name() + " " + old.entries().get(i).config() + " and is now "
                    + entries.get(i).name() + " " + entries.get(i).config();
        }
        return "the sweep in " + dir + " was planned from a different sweep file (" + first + "); its " + FILE
                + " is the truth of what belongs to it: restore the sweep file, or give the changed one a new --dir";
    }
}
