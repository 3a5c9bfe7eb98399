package dev.chase.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chase runs}: commands that inspect run directories. */
@Command(name = "runs", mixinStandardHelpOptions = true, subcommands = RunsCheckCommand.class,
        description = "Inspect run directories (see: chase runs check --help).")
final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
