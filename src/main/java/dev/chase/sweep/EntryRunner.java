package dev.chase.sweep;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one entry of a sweep as a child {@code chase train}, appends its output to the entry's logs
 * and records how it ended (not when another chase process holds the run). If this process is told to stop, the children are stopped with it (they
 * resume from their last checkpoint next time) and nothing is recorded for them.
 */
public final class EntryRunner {
    private final SweepFolder folder;
    private final ChaseLauncher launcher;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public EntryRunner(SweepFolder folder, ChaseLauncher launcher) {
        this.folder = folder;
        this.launcher = launcher;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "chase-sweep-stop"));
    }

    /**
     * Runs the entry to its end with {@code threads} engine threads.
     *
     * @return the record written for it, or null when this process is stopping
     */
    public EntryRecord run(SweepEntry entry, int threads) {
        folder.writeRecipe(entry);
        Path err = folder.errLog(entry);
        int attempts = folder.record(entry).map(EntryRecord::attempts).orElse(0) + 1;
        long start = System.nanoTime();
        int exit;
        long errStart;
        try {
            Files.createDirectories(err.getParent());
            errStart = Files.exists(err) ? Files.size(err) : 0;
            ProcessBuilder pb = new ProcessBuilder(launcher.trainCommand(folder, entry, threads))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.outLog(entry).toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            Process p;
            synchronized (this) {
                if (stopping) {
                    return null;
                }
                p = pb.start();
                live.add(p);
            }
            try {
                exit = p.waitFor();
            } finally {
                live.remove(p);
            }
        } catch (IOException e) {
            throw new ChaseException("cannot start chase train for " + entry.name() + ": " + AtomicFiles.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (stopping) {
            return null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EntryRecord record = new EntryRecord(entry.name(), exit, exit == 0 ? null : reason(err, errStart, exit), seconds, attempts,
                Instant.now().toString());
        if (!record.busy()) {
            folder.writeRecord(entry, record);
        }
        return record;
    }

    /** Stops every running child (SIGTERM, then SIGKILL after ten seconds). */
    private void stopAll() {
        synchronized (this) {
            stopping = true;
        }
        live.forEach(Process::destroy);
        for (Process p : live) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * The one-line reason of a failed attempt: the last line it wrote to standard error that starts
     * with {@code chase:} (its error message, above any trace), else its last non-blank line, else
     * its exit code.
     */
    static String reason(Path err, long from, int exit) {
        String text = "";
        try (RandomAccessFile f = new RandomAccessFile(err.toFile(), "r")) {
            long length = f.length();
            long start = Math.max(from, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            f.seek(start);
            f.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // no log: fall back to the exit code
        }
        String[] lines = text.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("chase: ")) {
                return lines[i].strip();
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "chase train exited with code " + exit + " and printed nothing on standard error";
    }
}
