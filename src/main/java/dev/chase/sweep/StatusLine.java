package dev.chase.sweep;

import java.util.Locale;

/**
 * The live line of a running sweep: how many runs are done, running, queued and failed, and the
 * estimated time left, which is the mean wall time of the runs finished so far times the runs not
 * yet done, divided by the number of runs at once.
 *
 * @param done finished runs, including those finished before this invocation
 * @param running runs in progress
 * @param queued runs waiting for a slot
 * @param failed runs whose last attempt failed
 * @param etaSeconds the estimate, or a negative number before any run has finished
 */
public record StatusLine(int done, int running, int queued, int failed, double etaSeconds) {
    /** The estimate from the mean of finished runs' durations (negative when none finished). */
    static double eta(double meanSeconds, int running, int queued, int jobs) {
        return meanSeconds < 0 ? -1 : meanSeconds * (running + queued) / Math.max(1, jobs);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sweep: %d done, %d running, %d queued, %d failed; ETA %s", done, running, queued, failed,
                running + queued == 0 ? "0s" : etaSeconds < 0 ? "after the first run finishes" : duration(etaSeconds));
    }

    /** A duration as {@code 1h02m}, {@code 4m05s} or {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
