package dev.chase.cli;

import ai.djl.engine.EngineException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Running out of memory, said in one line that names the size and what to make smaller instead of an internal error's
 * trace: the engine failing to allocate a tensor (a network, or a batch of it, larger than the machine's memory), or the
 * Java heap filling up (a dataset or a model's bookkeeping larger than the heap's limit).
 */
final class OutOfMemory {
    private static final Pattern ALLOCATION = Pattern.compile("(?:can't allocate memory|not enough memory): you tried to allocate (\\d+) bytes");

    private OutOfMemory() {
    }

    /** The message for {@code failure} if it, or one of its causes, is the engine or Java running out of memory; else empty. */
    static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError java) {
                return Optional.of(javaMessage(java.getMessage(), Runtime.getRuntime().maxMemory()));
            }
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
        return "out of memory: PyTorch could not allocate a tensor of " + size(requested) + " (this machine has "
                + size(machine) + "); the network, or a batch of it, is too large here: a smaller batch size, width or"
                + " model needs less";
    }

    static String javaMessage(String what, long maxHeap) {
        return "out of memory in Java (" + (what == null ? "no detail" : what) + "; its heap may grow to " + size(maxHeap)
                + " here); a smaller dataset, batch size, width or model needs less, or give Java more with"
                + " the JVM option -Xmx (for example -Xmx16g; through ./chase: CHASE_JAVA_OPTS=-Xmx16g)";
    }

    private static String size(long bytes) {
        return bytes < 1e9 ? String.format(Locale.ROOT, "%.0f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static long machineMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
