package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.FaultPoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code chase} run as a separate JVM, the way a user runs it, so a test can kill it for real
 * (SIGKILL) or run it under operating-system limits. The engine runs offline with one intra-op and
 * one inter-op thread, so every run of the same command computes the same bits.
 */
final class ChaseProcess {
    /** A finished process: exit code and what it printed. */
    record Result(int exitCode, String out, String err) {}

    private static final long TIMEOUT_SECONDS = 120;

    private ChaseProcess() {}

    /** The JVM command for {@code chase args}, optionally armed to pause at a fault point. */
    static List<String> command(String pauseAt, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                // C1 only and the serial collector start faster; the numbers are computed natively either way;
                // no performance-data file in /tmp (a killed JVM would leave it, a file-size limit would refuse it)
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx1g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path")));
        if (pauseAt != null) {
            cmd.add("-D" + FaultPoint.PROPERTY + "=" + pauseAt);
        }
        cmd.add(ChaseCli.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Runs {@code command} to its end. */
    static Result run(List<String> command, Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chase did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * Starts {@code chase args} armed to pause at {@code point}, waits until it has paused there,
     * and kills it with SIGKILL: the process dies exactly at that point, with no chance to clean
     * up.
     */
    static void killAt(String point, List<String> args, Path workDir) throws Exception {
        killAt(point, args, workDir, pid -> { });
    }

    /** What a test does while the process is paused, before it is killed. */
    interface WhilePaused {
        void run(long pid) throws Exception;
    }

    /** As {@link #killAt(String, List, Path)}, running {@code whilePaused} with the paused process's pid first. */
    static void killAt(String point, List<String> args, Path workDir, WhilePaused whilePaused) throws Exception {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Process p = new ProcessBuilder(command(point, args)).redirectOutput(out.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was killed: its pipe breaks
            }
            lines.add("<end of output>");
        });
        reader.setDaemon(true);
        reader.start();
        String marker = "chase: paused at " + point + (point.contains("#") ? "" : "#1");
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals("<end of output>")) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("chase never reached " + point + " (" + (line == null ? "timed out" : "it ended")
                        + "); its output: " + String.join("\n", seen) + "\n" + Files.readString(out));
            }
            seen.add(line);
            if (line.equals(marker)) {
                break;
            }
        }
        try {
            whilePaused.run(p.pid());
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        Files.delete(out);
    }
}
