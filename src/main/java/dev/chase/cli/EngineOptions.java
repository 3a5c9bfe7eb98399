package dev.chase.cli;

import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Engine settings shared by the commands that compute. They are system properties that the
 * PyTorch engine reads once when it starts, so they are applied while the flags are parsed,
 * before any command touches the engine.
 */
public final class EngineOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N",
            description = "Intra-op CPU threads of the engine, at most the machine's cores (default: all ${sys:chase.cores}). Does not change results' meaning, only speed.")
    void setThreads(int threads) {
        threadsProblem(threads, Runtime.getRuntime().availableProcessors()).ifPresent(problem -> {
            throw new ParameterException(spec.commandLine(), problem);
        });
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }

    /**
     * Why {@code threads} engine threads cannot run on {@code cores} cores, if they cannot: more threads than cores only
     * slow the engine down, and a thousand stall it for minutes.
     */
    static Optional<String> threadsProblem(int threads, int cores) {
        if (threads <= 0) {
            return Optional.of("--threads must be positive, got " + threads);
        }
        if (threads > cores) {
            return Optional.of("--threads " + threads + " is more than the " + cores + " cores of this machine; more engine threads"
                    + " than cores only slow it down: give at most --threads " + cores);
        }
        return Optional.empty();
    }

    static {
        System.setProperty("chase.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Defaults applied before parsing: offline engine, one inter-op thread. */
    static void applyDefaults() {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
    }
}
