package dev.chase.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How a run's last attempt by the sweep ended, the content of {@code state/NAME.json}. Each entry
 * has its own file, written atomically by the one process that ran it, so array tasks of a
 * scheduler never write the same file.
 *
 * @param name the entry's name
 * @param exitCode the exit code of its {@code chase train}
 * @param reason for a failure, the last line its {@code chase train} printed on standard error; null otherwise
 * @param seconds the attempt's wall time
 * @param attempts how many attempts the sweep has made, this one included
 * @param endedAt when it ended, ISO-8601
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryRecord(String name, int exitCode, String reason, double seconds, int attempts, String endedAt) {
    /** What {@code chase train} says when another process holds the run directory's lock. */
    static final String IN_USE = "is in use by another chase process";

    /** Whether the attempt failed. */
    public boolean failed() {
        return exitCode != 0;
    }

    /**
     * Whether the attempt found the run busy in another chase process (another sweep, a requeued
     * task): not a failure of the run, so it is never recorded.
     */
    public boolean busy() {
        return exitCode != 0 && reason != null && reason.contains(IN_USE);
    }
}
