package dev.chase;

/**
 * A problem the user can fix: a bad flag, a missing or corrupt file, an impossible setting.
 *
 * <p>The command line prints its message alone (no stack trace) and exits with {@link #EXIT_CODE}.
 * Messages name the offending thing and, where possible, what to do about it.
 */
public class ChaseException extends RuntimeException {
    /** Exit code of the command line for user errors. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    public ChaseException(String message) {
        super(message);
    }

    public ChaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
