package dev.chase.sweep;

/** Where one entry of a sweep stands, as its run directory and state file tell. */
public enum EntryStatus {
    /** Its run has its final model. */
    FINISHED,
    /** Its last attempt failed; retried only with {@code --retry-failed}. */
    FAILED,
    /** Its run directory holds a run that has not finished: the next attempt resumes it. */
    UNFINISHED,
    /** Not started. */
    PENDING
}
