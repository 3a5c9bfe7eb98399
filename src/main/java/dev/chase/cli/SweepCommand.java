package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.io.Shell;
import dev.chase.sweep.EntryRunner;
import dev.chase.sweep.SlurmScript;
import dev.chase.sweep.SweepEntry;
import dev.chase.sweep.SweepFolder;
import dev.chase.sweep.SweepPlan;
import dev.chase.sweep.SweepResults;
import dev.chase.sweep.SweepRunner;
import dev.chase.sweep.SweepSpec;
import dev.chase.sweep.TrainKeys;
import dev.chase.io.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase sweep}: a grid of {@code chase train} runs, resumable, on this machine or as a Slurm job array. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        subcommands = SweepStatusCommand.class,
        description = {"Run a resumable grid of chase train runs.",
            "Run a sweep: a base recipe crossed with axes of chase train keys (see docs/sweeps.md). The expanded plan is "
            + "written first to DIR/sweep.json; each entry runs as its own chase train process in DIR/runs/NAME. Run it again to "
            + "skip finished runs and resume unfinished ones; failed ones are retried only with --retry-failed. At the end it writes "
            + "DIR/sweep-results.md and .json (mean ± sd over seeds, difference to the baseline) and DIR/compare/. "
            + "Exit code 0 when every run it ran finished, 1 when some failed (or another chase process held them), 2 for a bad sweep "
            + "file or flags."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP_FILE", arity = "0..1", description = "The sweep file (YAML or JSON).")
    Path file;

    @Option(names = "--dir", paramLabel = "DIR", description = "The sweep folder (default: runs/<sweep file name without extension>).")
    Path dir;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "Runs at once. Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--threads", paramLabel = "T",
            description = "Engine threads per run (default: the machine's cores divided by --jobs, at least 1; with --only, all cores).")
    Integer threads;

    @Option(names = "--retry-failed", description = "Also run the entries whose last attempt failed.")
    boolean retryFailed;

    @Option(names = "--only", paramLabel = "INDEX", description = "Run only the entry with this index (from 0), as a scheduler's array task does.")
    Integer only;

    @Option(names = "--emit", paramLabel = "KIND", description = "Do not run: write a job script instead. KIND: slurm (a job array, one task per entry).")
    String emit;

    @Option(names = "--script", paramLabel = "FILE", description = "With --emit: write the script to FILE instead of standard output.")
    Path script;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (file == null) {
            throw new ChaseException("give a sweep file: chase sweep SWEEP.yaml (or see a sweep's progress: chase sweep status DIR)");
        }
        Flags.positive("--jobs", jobs);
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobs > cores && emit == null && only == null) {
            throw new ChaseException("--jobs " + jobs + " is more than the " + cores + " cores of this machine; every run needs a core"
                    + " of its own: give at most --jobs " + cores);
        }
        if (threads != null) {
            // a job script's threads run on the cluster's nodes, whose cores this machine does not know
            EngineOptions.threadsProblem(threads, emit != null ? Integer.MAX_VALUE : cores).ifPresent(problem -> {
                throw new ChaseException(problem);
            });
        }
        if (script != null && emit == null) {
            throw new ChaseException("--script goes with --emit slurm");
        }
        SweepPlan plan = SweepPlan.expand(SweepSpec.read(file, trainKeys()));
        checkEntries(plan);
        Path folderPath = dir != null ? dir : Path.of("runs", stem(file));
        if (only != null) {
            plan.entry(only);
        }
        if (emit != null) {
            return emit(plan, folderPath, out);
        }
        plan.settle(folderPath);
        SweepFolder folder = new SweepFolder(folderPath);
        folder.createFolders();
        List<SweepEntry> entries = only == null ? plan.entries() : List.of(plan.entry(only));
        int runJobs = only == null ? jobs : 1;
        int runThreads = SweepRunner.threadsPerRun(threads, runJobs, cores);
        SweepRunner runner = new SweepRunner(folder, new EntryRunner(folder, launcher()), err, ProgressBar.stderrIsTerminal());
        int failed = runner.run(entries, runJobs, runThreads, retryFailed);
        if (only == null || plan.entries().stream().allMatch(folder::finished)) {
            SweepResults results = SweepResults.of(plan, folder);
            List<Path> written = results.write(folderPath);
            out.print(results.markdown());
            out.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        }
        out.flush();
        return failed > 0 || runner.busy() > 0 ? 1 : 0;
    }

    private int emit(SweepPlan plan, Path folderPath, PrintWriter out) {
        if (!emit.equals("slurm")) {
            throw new ChaseException("--emit " + emit + " is not known: use --emit slurm");
        }
        plan.settle(folderPath);
        new SweepFolder(folderPath).createLogs();
        SlurmScript s = new SlurmScript("chase-" + stem(file), plan.entries().size(), threads == null ? 1 : threads,
                Path.of("").toAbsolutePath(), launcher().prefix(), file.toAbsolutePath().normalize(),
                folderPath.toAbsolutePath().normalize());
        if (script == null) {
            out.print(s.text());
        } else {
            AtomicFiles.writeString(script, s.text());
            out.println("wrote " + script + " (" + plan.entries().size() + " array tasks); submit it with: sbatch " + Shell.quote(script));
        }
        out.flush();
        return 0;
    }

    static TrainKeys trainKeys() {
        return new TrainKeys(ConfigDefaults.keys(), Recipe::values);
    }

    static dev.chase.sweep.ChaseLauncher launcher() {
        return dev.chase.sweep.ChaseLauncher.current(ChaseCli.class.getName());
    }

    /** Parses every entry as chase train would, so a bad value stops the sweep before any run starts. */
    private void checkEntries(SweepPlan plan) {
        for (SweepEntry e : plan.entries()) {
            TrainCommand train = new TrainCommand();
            List<String> flags = new ArrayList<>();
            e.config().forEach((k, v) -> flags.add("--" + k + "=" + v));
            try {
                new CommandLine(train).setDefaultValueProvider(new ConfigDefaults()).parseArgs(flags.toArray(String[]::new));
                train.options.toConfig();
            } catch (CommandLine.ParameterException | ChaseException ex) {
                throw new ChaseException("sweep file " + file + ": entry " + e.index() + " (" + e.name() + ") is not a valid chase train: "
                        + ex.getMessage());
            }
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
