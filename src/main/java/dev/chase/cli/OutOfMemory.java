package dev.chase.cli;

import ai.djl.engine.EngineException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's failure to allocate a tensor (a network, or a batch of it, larger than the machine's memory), said in
 * one line that names the size and what to make smaller, instead of an internal error's trace.
 */
final class OutOfMemory {
    private static final Pattern ALLOCATION = Pattern.compile("(?:can't allocate memory|not enough memory): you tried to allocate (\\d+) bytes");

    private OutOfMemory() {
    }

    /** The message for {@code failure} if it, or one of its causes, is the engine failing to allocate; else empty. */
    static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EngineException && t.getMessage() != null) {
                Matcher m = ALLOCATION.matcher(t.getMessage());
                if (m.find()) {
                    return Optional.of(message(Long.parseLong(m.group(1)), machineMemory()));
                }
            }
        }
        return Optional.empty();
    }

    static String message(long requested, long machine) {
        return "out of memory: PyTorch could not allocate a tensor of " + gigabytes(requested) + " (this machine has "
                + gigabytes(machine) + "); the network, or a batch of it, is too large here: a smaller batch size, width or"
                + " model needs less";
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static long machineMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
