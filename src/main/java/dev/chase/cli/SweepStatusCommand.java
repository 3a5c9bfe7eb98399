package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.sweep.EntryRecord;
import dev.chase.sweep.EntryStatus;
import dev.chase.sweep.SweepEntry;
import dev.chase.sweep.SweepFolder;
import dev.chase.sweep.SweepPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase sweep status DIR}: where each run of a sweep stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the state of every entry of a sweep folder.",
            "Show each entry of a sweep folder: finished (with its accuracy), unfinished (its last epoch), failed (its reason) or pending."})
final class SweepStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The sweep folder (the one holding sweep.json).")
    Path dir;

    @Override
    public Integer call() {
        SweepPlan plan = SweepPlan.read(dir).orElseThrow(() -> new ChaseException(dir + " is not a sweep folder (it has no "
                + SweepPlan.FILE + ")"));
        SweepFolder folder = new SweepFolder(dir);
        PrintWriter out = spec.commandLine().getOut();
        int width = Math.max(4, plan.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4));
        String format = "%5s  %-" + width + "s  %-10s  %s%n";
        out.printf(Locale.ROOT, format, "index", "name", "status", "detail");
        for (SweepEntry e : plan.entries()) {
            EntryStatus s = folder.status(e);
            out.printf(Locale.ROOT, format, e.index(), e.name(), s.name().toLowerCase(Locale.ROOT), detail(folder, e, s));
        }
        Map<EntryStatus, Long> counts = folder.counts(plan);
        out.printf(Locale.ROOT, "%d entries: %d finished, %d unfinished, %d failed, %d pending%n", plan.entries().size(),
                counts.get(EntryStatus.FINISHED), counts.get(EntryStatus.UNFINISHED), counts.get(EntryStatus.FAILED),
                counts.get(EntryStatus.PENDING));
        out.flush();
        return 0;
    }

    private static String detail(SweepFolder folder, SweepEntry e, EntryStatus s) {
        return switch (s) {
            case FAILED -> folder.record(e).map(EntryRecord::reason).orElse("");
            case PENDING -> "";
            case FINISHED, UNFINISHED -> {
                RunDirectory run = RunDirectory.open(folder.runDir(e));
                List<EpochMetrics> history = run.readMetrics();
                if (history.isEmpty()) {
                    yield "no epoch completed yet";
                }
                EpochMetrics last = history.get(history.size() - 1);
                yield String.format(Locale.ROOT, "epoch %d of %d, test accuracy %.2f%%", last.epoch(), run.readConfig().epochs(),
                        100 * last.testAccuracy());
            }
        };
    }
}
