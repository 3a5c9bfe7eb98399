package dev.chase.sweep;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts {@code chase} in a fresh JVM: this JVM's {@code java}, its memory,
 * {@code -D} and {@code -XX} options (not agents or debuggers), its class path and the command
 * line's main class. Each sweep run gets its own process, so a crashing run never stops the others
 * and runs share no engine state; {@code chase kernels} checks each kernel set in its own.
 *
 * @param prefix the command up to and including the main class
 */
public record ChaseLauncher(List<String> prefix) {
    public ChaseLauncher {
        prefix = List.copyOf(prefix);
    }

    /** The launcher of this JVM's own {@code chase}, whose main class is {@code mainClass}. */
    public static ChaseLauncher current(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D") || a.startsWith("-XX:") || a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss")) {
                cmd.add(a);
            }
        }
        if (cmd.stream().noneMatch(a -> a.startsWith("-Djava.awt.headless="))) {
            cmd.add("-Djava.awt.headless=true");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return new ChaseLauncher(cmd);
    }

    /**
     * The {@code chase train} command for an entry: a new run from its recipe, or the resumption
     * of the run its directory holds.
     */
    public List<String> trainCommand(SweepFolder folder, SweepEntry entry, int threads) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("train");
        if (folder.started(entry)) {
            cmd.addAll(List.of("--resume", folder.runDir(entry).toString()));
        } else {
            cmd.addAll(List.of("--recipe", folder.recipeFile(entry).toString(), "--run-dir", folder.runDir(entry).toString()));
        }
        cmd.addAll(List.of("--threads", Integer.toString(threads)));
        return cmd;
    }
}
