package dev.chase.data;

/**
 * Receives how far a download has come, for a progress bar or a log line. Called on the thread
 * that started the download, a few times a second at most, and once more when the body is
 * complete; implementations need no locking.
 */
@FunctionalInterface
public interface DownloadProgress {

    /** Reports nothing. */
    DownloadProgress NONE = (bytesSoFar, totalBytes) -> {};

    /**
     * @param bytesSoFar bytes received so far
     * @param totalBytes the announced size, or -1 when the server did not say
     */
    void update(long bytesSoFar, long totalBytes);
}
