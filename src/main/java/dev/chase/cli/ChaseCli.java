package dev.chase.cli;

import dev.chase.ChaseException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code chase} command line. User mistakes, and a network or batch too large for the machine's
 * memory, end with one line on standard error and exit code 2; internal failures (bugs) with exit code 70 and their trace.
 */
@Command(name = "chase", mixinStandardHelpOptions = true, versionProvider = ChaseCli.Version.class,
        description = "Dynamic sparse training that ends in a physically narrower, faster network.",
        subcommands = {TrainCommand.class, EvalCommand.class, ShrinkCommand.class, BenchCommand.class, FlopsCommand.class, GroupsCommand.class,
            AnalyzeCommand.class, ExportCommand.class, ReportCommand.class, CompareCommand.class, DemoCommand.class,
            BenchTrainCommand.class, ProfileLatencyCommand.class, ProfileCommand.class, SweepCommand.class, RunsCommand.class,
            KernelsCommand.class, CommandLine.HelpCommand.class})
public final class ChaseCli {
    /** Exit code for internal errors. */
    public static final int INTERNAL_ERROR = 70;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        EngineOptions.applyDefaults();
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new ChaseCli())
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(errWriter)
                .setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> fail(ex, cmd.getErr()))
                .setParameterExceptionHandler((ex, a) -> {
                    ex.getCommandLine().getErr().println("chase: " + ex.getMessage());
                    ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
                    return ChaseException.EXIT_CODE;
                });
        cli.getSubcommands().get("train").setDefaultValueProvider(new ConfigDefaults());
        try {
            return cli.execute(expandRecipe(args));
        } catch (ChaseException | Error e) { // picocli hands a command's Exceptions to fail; an Error (out of memory) ends up here
            return fail(e, errWriter);
        }
    }

    private static String[] expandRecipe(String[] args) {
        if (args.length == 0 || !args[0].equals("train")) {
            return args;
        }
        List<String> out = new ArrayList<>();
        out.add("train");
        out.addAll(Recipe.expand(Arrays.asList(args).subList(1, args.length)));
        return out.toArray(String[]::new);
    }

    /** Says what went wrong in one line (a trace only for an internal error) and returns the exit code. */
    static int fail(Throwable ex, PrintWriter err) {
        if (ex instanceof ChaseException) {
            err.println("chase: " + ex.getMessage());
            return ChaseException.EXIT_CODE;
        }
        var outOfMemory = OutOfMemory.describe(ex);
        if (outOfMemory.isPresent()) {
            err.println("chase: " + outOfMemory.get());
            return ChaseException.EXIT_CODE;
        }
        err.println("chase: internal error (please report it with the trace below): " + ex);
        ex.printStackTrace(err);
        return INTERNAL_ERROR;
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ChaseCli.class.getPackage().getImplementationVersion();
            return new String[] {"chase " + (v == null ? "(development build)" : v),
                "DJL 0.36.0, PyTorch engine (CPU) " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
