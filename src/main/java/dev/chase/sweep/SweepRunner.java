package dev.chase.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the entries of a sweep that are not done, {@code jobs} at once, each as its own {@code chase
 * train} process: finished runs are skipped, unfinished ones resumed, failed ones skipped unless
 * {@code retryFailed}. One failure never stops the others. While it runs, a status line goes to
 * standard error every few seconds (on a terminal, overwritten in place; otherwise only when it
 * changed).
 */
public final class SweepRunner {
    /** Seconds between status lines. */
    static final long STATUS_SECONDS = 5;

    private final SweepFolder folder;
    private final EntryRunner runner;
    private final PrintWriter err;
    private final boolean terminal;
    private int done;
    private int running;
    private int queued;
    private int failed;
    private int busy;
    private final List<Double> durations = new ArrayList<>();
    private String lastLine = "";
    private int jobs = 1;

    public SweepRunner(SweepFolder folder, EntryRunner runner, PrintWriter err, boolean terminal) {
        this.folder = folder;
        this.runner = runner;
        this.err = err;
        this.terminal = terminal;
    }

    /** Engine threads per run: {@code threads} if given, else the cores divided among the jobs, at least one. */
    public static int threadsPerRun(Integer threads, int jobs, int cores) {
        return threads != null ? threads : Math.max(1, cores / jobs);
    }

    /**
     * Runs the given entries of the plan (those not finished, and not failed unless {@code retryFailed}).
     *
     * @return how many runs failed in this invocation or stayed failed
     */
    public int run(List<SweepEntry> entries, int jobs, int threads, boolean retryFailed) throws InterruptedException {
        List<SweepEntry> todo = new ArrayList<>();
        for (SweepEntry e : entries) {
            EntryStatus s = folder.status(e);
            if (s == EntryStatus.FINISHED) {
                done++;
            } else if (s == EntryStatus.FAILED && !retryFailed) {
                failed++;
                say("skipping failed " + e.name() + " (retry with --retry-failed): "
                        + folder.record(e).map(EntryRecord::reason).orElse("?"));
            } else {
                todo.add(e);
            }
        }
        queued = todo.size();
        say(String.format(Locale.ROOT, "%d runs: %d finished already, %d to run (%d at once, %d engine threads each)%s",
                entries.size(), done, todo.size(), jobs, threads, failed > 0 ? ", " + failed + " failed before" : ""));
        this.jobs = jobs;
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chase-sweep-status");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::status, STATUS_SECONDS, STATUS_SECONDS, TimeUnit.SECONDS);
        for (SweepEntry e : todo) {
            pool.execute(() -> runOne(e, threads));
        }
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
            // the status ticker reports progress
        }
        ticker.shutdownNow();
        status();
        if (terminal) {
            synchronized (this) {
                err.println();
                err.flush();
            }
        }
        return failed;
    }

    private void runOne(SweepEntry e, int threads) {
        synchronized (this) {
            queued--;
            running++;
        }
        String verb = folder.started(e) ? "resuming " : "starting ";
        say(verb + e.name() + " (entry " + e.index() + ")");
        EntryRecord r;
        try {
            r = runner.run(e, threads);
        } catch (RuntimeException ex) {
            r = new EntryRecord(e.name(), -1, ex.getMessage(), 0, 1, java.time.Instant.now().toString());
            folder.writeRecord(e, r);
        }
        synchronized (this) {
            running--;
            if (r == null) {
                return;
            }
            if (r.busy()) {
                busy++;
            } else if (r.failed()) {
                failed++;
            } else {
                done++;
                durations.add(r.seconds());
            }
        }
        say(r.busy() ? "skipped " + e.name() + ": another chase process is running it (" + r.reason() + ")"
                : r.failed() ? "failed " + e.name() + " (exit " + r.exitCode() + "): " + r.reason()
                : String.format(Locale.ROOT, "finished %s in %s", e.name(), StatusLine.duration(r.seconds())));
        status();
    }

    /** How many runs were skipped in this invocation because another chase process held them. */
    public synchronized int busy() {
        return busy;
    }

    /** The current status line. */
    public synchronized StatusLine line() {
        double mean = durations.isEmpty() ? -1 : durations.stream().mapToDouble(Double::doubleValue).average().orElse(-1);
        return new StatusLine(done, running, queued, failed, StatusLine.eta(mean, running, queued, jobs));
    }

    private synchronized void status() {
        String line = line().toString();
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            err.flush();
        } else if (!line.equals(lastLine)) {
            err.println(line);
            err.flush();
        }
        lastLine = line;
    }

    private synchronized void say(String message) {
        err.print(terminal ? "\r\u001b[K" + message + "\n" : message + "\n");
        err.flush();
    }
}
