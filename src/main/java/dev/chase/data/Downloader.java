package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Downloads one file over HTTP(S) so that it either arrives whole and verified or not at all. The
 * body streams into a {@code .part} file beside the target while its MD5 is computed; the file gets
 * its final name (an atomic rename) only after the checksum matches, and every failure deletes the
 * partial file. Bodies larger than a cap are refused, before reading when the server announces the
 * size. Each way a download can fail (HTTP status, no connection, connection lost, stalled,
 * too large, wrong checksum) ends in its own {@link ChaseException} naming the URL.
 */
public final class Downloader {

    /** Default limit for establishing the connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Default limit for the response to start, and for silence while the body is arriving. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final long POLL_MILLIS = 100;
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /** A downloader with the default timeouts. */
    public Downloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * @param connectTimeout how long to wait for the connection to open
     * @param readTimeout how long to wait for the response headers, and the longest silence
     *     tolerated while the body is arriving
     */
    public Downloader(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        this.readTimeout = positive(readTimeout, "readTimeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                // one large file gains nothing from HTTP/2, and HTTP/1.1 behaves the same everywhere
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /**
     * Downloads {@code url} to {@code target}, replacing any file there.
     *
     * @param expectedMd5 MD5 of the expected content, hex
     * @param maxBytes the largest body accepted
     * @param progress told how far the download has come; may be null
     * @return {@code target}
     * @throws ChaseException on any failure; then neither the target nor a partial file is left
     *     behind (an existing target is left untouched)
     */
    public Path download(URI url, String expectedMd5, Path target, long maxBytes, DownloadProgress progress) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        if (expectedMd5 == null || !MD5.matcher(expectedMd5).matches()) {
            throw new IllegalArgumentException("expected MD5 must be 32 hex digits: " + expectedMd5);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ChaseException("cannot download " + url + ": only http:// and https:// URLs are supported");
        }
        DownloadProgress report = progress == null ? DownloadProgress.NONE : progress;

        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path part;
        try {
            Files.createDirectories(dir);
            part = Files.createTempFile(dir, absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new ChaseException("cannot download " + url + ": cannot create a file in " + dir + ": "
                    + AtomicFiles.describe(e), e);
        }
        boolean done = false;
        try {
            String actualMd5;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                FileSink sink = new FileSink(url, part, channel, newMd5(), maxBytes);
                receive(url, sink, report);
                channel.force(true);
                actualMd5 = HexFormat.of().formatHex(sink.digest.digest());
            } catch (IOException e) {
                throw new ChaseException("cannot write " + part + ": " + AtomicFiles.describe(e), e);
            }
            if (!actualMd5.equalsIgnoreCase(expectedMd5)) {
                throw new ChaseException("download of " + url + " failed: checksum mismatch (expected "
                        + expectedMd5.toLowerCase(Locale.ROOT) + ", got " + actualMd5
                        + "); the file was deleted, try again");
            }
            try {
                AtomicFiles.move(part, absolute);
            } catch (IOException e) {
                throw new ChaseException("cannot move the downloaded file to " + absolute + ": "
                        + AtomicFiles.describe(e), e);
            }
            done = true;
            return target;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // best effort; the name ends in .part, so nothing mistakes it for a download
                }
            }
        }
    }

    /** Runs the exchange, reporting progress on this thread, until the body is complete. */
    private void receive(URI url, FileSink sink, DownloadProgress progress) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("User-Agent", "chase")
                .GET()
                .build();
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, info -> {
            sink.status = info.statusCode();
            sink.total = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
            if (sink.status != 200 || sink.total > sink.maxBytes) {
                return new Discard();
            }
            return sink;
        });
        long lastBytes = -1;
        long lastChange = System.nanoTime();
        while (true) {
            try {
                future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (!sink.started) {
                    continue; // the request timeout bounds the wait for the headers
                }
                long now = sink.received.get();
                if (now != lastBytes) {
                    lastBytes = now;
                    lastChange = System.nanoTime();
                    progress.update(now, sink.total);
                } else if (System.nanoTime() - lastChange > readTimeout.toNanos()) {
                    sink.abort();
                    future.cancel(true);
                    throw new ChaseException("download of " + url + " failed: no data for " + seconds(readTimeout)
                            + " after " + now + of(sink.total) + " bytes; the partial file was deleted, try again");
                }
            } catch (InterruptedException e) {
                sink.abort();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new ChaseException("download of " + url + " was interrupted; the partial file was deleted");
            } catch (ExecutionException | CompletionException e) {
                if (sink.failure != null) {
                    throw sink.failure;
                }
                throw describeFailure(url, sink, e.getCause() == null ? e : e.getCause());
            }
        }
        if (sink.failure != null) {
            throw sink.failure;
        }
        if (sink.status != 200) {
            throw new ChaseException("download of " + url + " failed: HTTP " + sink.status + hint(sink.status));
        }
        if (sink.total > sink.maxBytes) {
            throw new ChaseException("download of " + url + " failed: the server announces " + sink.total
                    + " bytes, more than the limit of " + sink.maxBytes + " bytes; check the URL");
        }
        long got = sink.received.get();
        if (sink.total >= 0 && got != sink.total) {
            throw new ChaseException("download of " + url + " failed: connection closed after " + got + " of "
                    + sink.total + " bytes; the partial file was deleted, try again");
        }
        progress.update(got, sink.total);
    }

    private ChaseException describeFailure(URI url, FileSink sink, Throwable cause) {
        String prefix = "download of " + url + " failed: ";
        String host = url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
        if (cause instanceof HttpConnectTimeoutException) {
            return new ChaseException(prefix + "could not connect to " + host + " within " + seconds(connectTimeout)
                    + "; check the URL and your network", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new ChaseException(prefix + "no response from " + host + " within " + seconds(readTimeout)
                    + "; try again later", cause);
        }
        if (hasCause(cause, UnresolvedAddressException.class) || hasCause(cause, UnknownHostException.class)) {
            return new ChaseException(prefix + "unknown host " + url.getHost() + "; check the URL and your network",
                    cause);
        }
        if (cause instanceof ConnectException) {
            return new ChaseException(prefix + "cannot connect to " + host
                    + " (connection refused or host unreachable); check the URL and your network", cause);
        }
        if (hasCause(cause, SSLException.class)) {
            return new ChaseException(prefix + "secure connection to " + host + " failed (" + message(cause)
                    + "); check the URL, your proxy and your system clock", cause);
        }
        if (sink.started) {
            return new ChaseException(prefix + "connection lost after " + sink.received.get() + of(sink.total)
                    + " bytes (" + message(cause) + "); the partial file was deleted, try again", cause);
        }
        return new ChaseException(prefix + message(cause), cause);
    }

    private static String hint(int status) {
        if (status == 404 || status == 410) {
            return " (not found); check the URL or use another mirror";
        }
        if (status == 401 || status == 403) {
            return " (access denied); check the URL or use another mirror";
        }
        if (status >= 500) {
            return " (server error); try again later";
        }
        return "";
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String of(long total) {
        return total >= 0 ? " of " + total : "";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    }

    /** Computes the lowercase hex MD5 of a file. */
    public static String md5Of(Path file) {
        MessageDigest md = newMd5();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Writes the body to the partial file as it arrives, one buffer list at a time, hashing as it
     * goes. Calls arrive on the client's threads, one at a time; the fields the waiting thread
     * reads are volatile or atomic.
     */
    private static final class FileSink implements BodySubscriber<Void> {
        final URI url;
        final Path part;
        final FileChannel channel;
        final MessageDigest digest;
        final long maxBytes;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Void> body = new CompletableFuture<>();
        volatile int status;
        volatile long total = -1;
        volatile boolean started;
        volatile Flow.Subscription subscription;
        /** A failure on our side (too large, disk error), reported as is. */
        volatile ChaseException failure;

        FileSink(URI url, Path part, FileChannel channel, MessageDigest digest, long maxBytes) {
            this.url = url;
            this.part = part;
            this.channel = channel;
            this.digest = digest;
            this.maxBytes = maxBytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            started = true;
            if (body.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    long n = b.remaining();
                    if (received.get() + n > maxBytes) {
                        fail(new ChaseException("download of " + url + " failed: the file is larger than the limit of "
                                + maxBytes + " bytes; check the URL"));
                        return;
                    }
                    digest.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    received.addAndGet(n);
                }
            } catch (IOException e) {
                if (!body.isDone()) {
                    fail(new ChaseException("cannot write " + part + ": " + AtomicFiles.describe(e), e));
                }
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(null);
        }

        @Override
        public CompletableFuture<Void> getBody() {
            return body;
        }

        private void fail(ChaseException e) {
            failure = e;
            body.completeExceptionally(e);
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        /** Stops the transfer from the waiting thread. */
        void abort() {
            body.cancel(false);
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Reads nothing: the status or the announced size already says the body is unwanted. */
    private static final class Discard implements BodySubscriber<Void> {
        private final CompletableFuture<Void> body = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
            body.complete(null);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {}

        @Override
        public void onError(Throwable t) {
            body.complete(null);
        }

        @Override
        public void onComplete() {
            body.complete(null);
        }

        @Override
        public CompletableFuture<Void> getBody() {
            return body;
        }
    }
}
