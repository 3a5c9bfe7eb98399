package dev.chase.cli;

import dev.chase.report.RunReport;
import dev.chase.report.RunSummary;
import dev.chase.run.RunLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase report}: (re)writes a run's summary.json and report.html. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Write a run's summary.json and report.html again.",
            "Write RUN_DIR/summary.json (accuracy, density, channel sparsity, FLOPs, weights, shrink and bench results) "
            + "and RUN_DIR/report.html, a self-contained page with charts that opens offline. chase train, shrink and bench "
            + "write them already; this regenerates them, e.g. for a run made by an older chase."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory with at least one completed epoch.")
    Path runDir;

    @Override
    public Integer call() {
        try (RunLock lock = RunLock.acquireRun(runDir)) {
            write(spec.commandLine().getOut(), runDir);
        }
        return 0;
    }

    /** Writes the run's report and says where it is. */
    static void write(PrintWriter out, Path runDir) {
        RunReport.write(runDir);
        out.printf("report: %s (numbers in %s)%n", runDir.resolve(RunReport.FILE), runDir.resolve(RunSummary.FILE));
        out.flush();
    }
}
