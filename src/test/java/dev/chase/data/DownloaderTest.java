package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final byte[] BODY = body(50_000);
    private static final String MD5 = CifarFixtures.md5(BODY);

    @TempDir Path dir;

    private final LoopbackServer server = new LoopbackServer();
    private final Downloader downloader = new Downloader(Duration.ofSeconds(5), Duration.ofMillis(1500));

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + (i >> 8));
        }
        return b;
    }

    @Test
    void goodFileArrivesWholeWithProgress() throws Exception {
        server.serve("/f.bin", BODY);
        List<long[]> seen = new ArrayList<>();
        Path target = dir.resolve("sub/f.bin");

        Path got = downloader.download(server.uri("/f.bin"), MD5.toUpperCase(), target, 1_000_000,
                (n, total) -> seen.add(new long[] {n, total}));

        assertThat(got).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
        assertThat(CifarFixtures.listTree(dir)).containsExactly("sub", "sub/f.bin");
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1)).containsExactly(BODY.length, BODY.length);
        assertThat(Downloader.md5Of(target)).isEqualTo(MD5);
    }

    @Test
    void wrongChecksumDeletesTheFile() throws Exception {
        server.serve("/f.bin", BODY);
        String wrong = "0123456789abcdef0123456789abcdef";
        URI url = server.uri("/f.bin");

        assertThatThrownBy(() -> downloader.download(url, wrong, dir.resolve("f.bin"), 1_000_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: checksum mismatch (expected " + wrong + ", got " + MD5
                        + "); the file was deleted, try again");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void failedDownloadLeavesAnExistingTargetAlone() throws Exception {
        server.serve("/f.bin", BODY);
        Path target = dir.resolve("f.bin");
        Files.writeString(target, "old");

        assertThatThrownBy(() -> downloader.download(server.uri("/f.bin"), "0123456789abcdef0123456789abcdef",
                        target, 1_000_000, null))
                .hasMessageContaining("checksum mismatch");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(CifarFixtures.listTree(dir)).containsExactly("f.bin");
    }

    @Test
    void notFoundIsReportedWithTheStatus() throws Exception {
        server.handle("/missing", ex -> ex.sendResponseHeaders(404, -1));
        URI url = server.uri("/missing");

        assertThatThrownBy(() -> downloader.download(url, MD5, dir.resolve("f.bin"), 1_000_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("download of " + url + " failed: HTTP 404")
                .hasMessageContaining("check the URL");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void serverErrorSaysTryLater() throws Exception {
        server.handle("/boom", ex -> {
            byte[] page = "oops".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(503, page.length);
            ex.getResponseBody().write(page);
        });

        assertThatThrownBy(() -> downloader.download(server.uri("/boom"), MD5, dir.resolve("f.bin"), 1_000_000, null))
                .hasMessageContaining("failed: HTTP 503 (server error); try again later");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void connectionCutMidwayIsReportedAndThePartialFileDeleted() throws Exception {
        server.handle("/cut", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            OutputStream out = ex.getResponseBody();
            out.write(BODY, 0, 10_000);
            out.flush();
            // closing now, 40,000 bytes short of the announced length, drops the connection
        });
        URI url = server.uri("/cut");

        assertThatThrownBy(() -> downloader.download(url, MD5, dir.resolve("f.bin"), 1_000_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("download of " + url + " failed: connection")
                .hasMessageContaining("of " + BODY.length + " bytes")
                .hasMessageContaining("the partial file was deleted, try again");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void unreachableHostIsReported() throws Exception {
        URI url = LoopbackServer.closedPortUri("/f.bin");

        assertThatThrownBy(() -> downloader.download(url, MD5, dir.resolve("f.bin"), 1_000_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: cannot connect to 127.0.0.1:" + url.getPort()
                        + " (connection refused or host unreachable); check the URL and your network");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void announcedSizeOverTheCapIsRefusedBeforeReading() throws Exception {
        server.serve("/big", BODY);
        URI url = server.uri("/big");

        assertThatThrownBy(() -> downloader.download(url, MD5, dir.resolve("f.bin"), 1000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: the server announces " + BODY.length
                        + " bytes, more than the limit of 1000 bytes; check the URL");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void unannouncedBodyOverTheCapIsCutOff() throws Exception {
        server.handle("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no Content-Length
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 5; i++) {
                out.write(BODY);
                out.flush();
            }
        });
        URI url = server.uri("/chunked");

        assertThatThrownBy(() -> downloader.download(url, MD5, dir.resolve("f.bin"), 20_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: the file is larger than the limit of 20000 bytes;"
                        + " check the URL");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void stalledBodyTimesOut() throws Exception {
        server.handle("/stall", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            OutputStream out = ex.getResponseBody();
            out.write(BODY, 0, 1000);
            out.flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Downloader impatient = new Downloader(Duration.ofSeconds(5), Duration.ofMillis(400));
        URI url = server.uri("/stall");

        assertThatThrownBy(() -> impatient.download(url, MD5, dir.resolve("f.bin"), 1_000_000, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: no data for 400 ms after 1000 of " + BODY.length
                        + " bytes; the partial file was deleted, try again");
        assertThat(CifarFixtures.listTree(dir)).isEmpty();
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        assertThatThrownBy(() -> downloader.download(URI.create("ftp://example.org/x"), MD5, dir.resolve("x"), 10,
                        null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot download ftp://example.org/x: only http:// and https:// URLs are supported");
    }

    @Test
    void md5OfAFileMatchesTheBytes() throws Exception {
        Path f = dir.resolve("x");
        byte[] data = Arrays.copyOf(BODY, 100_000);
        Files.write(f, data);
        assertThat(Downloader.md5Of(f)).isEqualTo(CifarFixtures.md5(data));
    }
}
