package dev.chase.cli;

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
            description = "Intra-op CPU threads of the engine (default: all ${sys:chase.cores} cores). Does not change results' meaning, only speed.")
    void setThreads(int threads) {
        if (threads <= 0) {
            throw new ParameterException(spec.commandLine(), "--threads must be positive, got " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
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
