package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.Hostile;
import dev.chase.data.CifarDataset.Split;
import dev.chase.data.CifarFixtures.Item;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDownloaderTest {
    @TempDir Path root;

    private final LoopbackServer server = new LoopbackServer();
    private final CifarDownloader cifar =
            new CifarDownloader(new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5)));

    @AfterEach
    void stop() {
        server.close();
    }

    private Path cache() {
        return root.resolve("cache");
    }

    @Test
    void downloadsExtractsAndThenReusesTheCache() throws Exception {
        byte[] archive = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        server.serve("/c10.tgz", archive);
        URI url = server.uri("/c10.tgz");
        String md5 = CifarFixtures.md5(archive);
        long[] last = {0, 0};

        Path data = cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, md5, (n, t) -> {
            last[0] = n;
            last[1] = t;
        });

        assertThat(data).isEqualTo(cache().resolve("cifar-10/cifar-10-batches-bin"));
        assertThat(last).containsExactly(archive.length, archive.length);
        assertThat(Files.readString(cache().resolve("cifar-10/.complete"))).contains("md5=" + md5);
        assertThat(CifarFixtures.listTree(cache())).as("archive deleted, no temporary files").containsExactly(
                "cifar-10", "cifar-10/.complete", "cifar-10/cifar-10-batches-bin",
                "cifar-10/cifar-10-batches-bin/data_batch_1.bin", "cifar-10/cifar-10-batches-bin/data_batch_2.bin",
                "cifar-10/cifar-10-batches-bin/data_batch_3.bin", "cifar-10/cifar-10-batches-bin/data_batch_4.bin",
                "cifar-10/cifar-10-batches-bin/data_batch_5.bin", "cifar-10/cifar-10-batches-bin/readme.html",
                "cifar-10/cifar-10-batches-bin/test_batch.bin");
        CifarDataset train = CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false);
        assertThat(train.size()).isEqualTo(20);
        assertThat(train.label(19)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR10, 19));
        assertThat(train.image(19).data()[0] & 0xFF).isEqualTo(CifarFixtures.pixel(19, 0, 0));
        assertThat(server.requests("/c10.tgz")).isEqualTo(1);

        // a second call, even one allowed to download, uses the cache
        assertThat(cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, md5, null)).isEqualTo(data);
        assertThat(cifar.ensure(CifarVariant.CIFAR10, cache(), false, url, md5, null)).isEqualTo(data);
        assertThat(server.requests("/c10.tgz")).isEqualTo(1);
        assertThat(CifarDownloader.isComplete(CifarVariant.CIFAR10, cache())).isTrue();
    }

    @Test
    void cifar100ArchiveWorksTheSameWay() throws Exception {
        byte[] archive = CifarFixtures.cifarArchive(CifarVariant.CIFAR100, 20, 10);
        server.serve("/c100.tgz", archive);

        Path data = cifar.ensure(CifarVariant.CIFAR100, cache(), true, server.uri("/c100.tgz"),
                CifarFixtures.md5(archive), null);

        assertThat(data).isEqualTo(cache().resolve("cifar-100/cifar-100-binary"));
        CifarDataset test = CifarDataset.load(data, CifarVariant.CIFAR100, Split.TEST, false);
        assertThat(test.size()).isEqualTo(10);
        assertThat(test.label(3)).isEqualTo(24);
    }

    @Test
    void missingDataWithoutDownloadSaysWhatToDo() {
        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), false, null, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 is not in " + cache() + ": pass --download to fetch it from "
                        + CifarVariant.CIFAR10.url() + " (about 170 MB), or point --data-dir at an extracted"
                        + " cifar-10-batches-bin folder");
        assertThat(cache()).doesNotExist();
    }

    @Test
    void anUnmarkedCopyIsNotTrustedAndIsReplaced() throws Exception {
        // what an interrupted earlier run, or a partial manual copy, may leave behind
        Path stale = cache().resolve("cifar-10");
        CifarFixtures.writeBinFolder(stale, CifarVariant.CIFAR10, 5, 2);

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), false, null, null))
                .hasMessageStartingWith("CIFAR-10 is incomplete in " + stale + ": pass --download");

        byte[] archive = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        server.serve("/c10.tgz", archive);
        Path data = cifar.ensure(CifarVariant.CIFAR10, cache(), true, server.uri("/c10.tgz"),
                CifarFixtures.md5(archive), null);
        assertThat(CifarDataset.load(data, CifarVariant.CIFAR10, Split.TEST, false).size()).isEqualTo(10);
    }

    @Test
    void aVerifiedArchiveLeftByAnInterruptedRunIsExtractedWithoutDownloading() throws Exception {
        byte[] archive = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        Files.createDirectories(cache());
        Files.write(cache().resolve("cifar-10-binary.tar.gz"), archive);
        URI url = server.uri("/never-asked.tgz");

        Path data = cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, CifarFixtures.md5(archive), null);

        assertThat(CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false).size()).isEqualTo(20);
        assertThat(server.requests("/never-asked.tgz")).isZero();
        assertThat(cache().resolve("cifar-10-binary.tar.gz")).doesNotExist();
    }

    @Test
    void anArchiveThatFailsItsChecksumIsDownloadedAgainNeverExtracted() throws Exception {
        // a truncated copy, and a forged archive that would write outside the cache if it were extracted
        byte[] full = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        byte[] forged = CifarFixtures.tarGz(List.of(Item.file("../../outside.txt", "pwned".getBytes(StandardCharsets.UTF_8))));
        for (byte[] stale : List.of(java.util.Arrays.copyOf(full, full.length / 2), forged)) {
            Hostile.deleteTree(cache());
            Files.createDirectories(cache());
            Files.write(cache().resolve("cifar-10-binary.tar.gz"), stale);
            server.serve("/c10.tgz", full);
            int before = server.requests("/c10.tgz");

            Path data = cifar.ensure(CifarVariant.CIFAR10, cache(), true, server.uri("/c10.tgz"), CifarFixtures.md5(full), null);

            assertThat(server.requests("/c10.tgz")).as("downloaded again").isEqualTo(before + 1);
            assertThat(CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false).size()).isEqualTo(20);
            assertThat(root.resolve("outside.txt")).doesNotExist();
        }
    }

    @Test
    void aPartialDownloadLeftByAKilledRunIsNeverTakenForTheArchive() throws Exception {
        // a killed download leaves its .part file; even one holding every byte is not used
        byte[] full = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        Files.createDirectories(cache());
        Files.write(cache().resolve("cifar-10-binary.tar.gz.4242.part"), full);

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), false, null, null))
                .hasMessageStartingWith("CIFAR-10 is not in " + cache());
        server.serve("/c10.tgz", full);
        Path data = cifar.ensure(CifarVariant.CIFAR10, cache(), true, server.uri("/c10.tgz"), CifarFixtures.md5(full), null);
        assertThat(server.requests("/c10.tgz")).isEqualTo(1);
        assertThat(CifarDataset.load(data, CifarVariant.CIFAR10, Split.TEST, false).size()).isEqualTo(10);
    }

    @Test
    void aMirrorServingAnotherFileFailsTheOfficialChecksum() throws Exception {
        byte[] archive = CifarFixtures.cifarArchive(CifarVariant.CIFAR10, 20, 10);
        server.serve("/mirror.tgz", archive);
        URI url = server.uri("/mirror.tgz");

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("download of " + url + " failed: checksum mismatch (expected "
                        + CifarVariant.CIFAR10.md5() + ", got " + CifarFixtures.md5(archive)
                        + "); the file was deleted, try again");
        assertThat(CifarFixtures.listTree(cache())).isEmpty();
    }

    @Test
    void downloadFailureLeavesNoDataBehind() throws Exception {
        server.handle("/gone", ex -> ex.sendResponseHeaders(404, -1));
        URI url = server.uri("/gone");

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR100, cache(), true, url, null))
                .hasMessageStartingWith("download of " + url + " failed: HTTP 404");
        assertThat(CifarFixtures.listTree(cache())).isEmpty();
        assertThat(CifarDownloader.isComplete(CifarVariant.CIFAR100, cache())).isFalse();
    }

    @Test
    void anArchiveWithoutTheDatasetIsRejected() throws Exception {
        byte[] archive = CifarFixtures.tarGz(List.of(
                Item.file("something-else/readme.txt", "hi".getBytes(StandardCharsets.UTF_8))));
        server.serve("/other.tgz", archive);
        URI url = server.uri("/other.tgz");

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, CifarFixtures.md5(archive),
                        null))
                .isInstanceOf(ChaseException.class)
                .hasMessage("the archive from " + url + " does not contain the CIFAR-10 files in"
                        + " cifar-10-batches-bin/; check the URL");
        assertThat(CifarDownloader.isComplete(CifarVariant.CIFAR10, cache())).isFalse();
        assertThat(CifarFixtures.listTree(cache())).isEmpty();
    }

    @Test
    void aMaliciousArchiveIsRefusedAndWritesNothingOutside() throws Exception {
        byte[] archive = CifarFixtures.tarGz(List.of(
                Item.file("cifar-10-batches-bin/test_batch.bin", CifarFixtures.records(CifarVariant.CIFAR10, 0, 2, 0)),
                Item.file("../../evil.txt", "pwned".getBytes(StandardCharsets.UTF_8))));
        server.serve("/evil.tgz", archive);
        URI url = server.uri("/evil.tgz");

        assertThatThrownBy(() -> cifar.ensure(CifarVariant.CIFAR10, cache(), true, url, CifarFixtures.md5(archive),
                        null))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("entry '../../evil.txt' would be written outside");
        assertThat(CifarFixtures.listTree(root)).as("nothing outside, archive and partial copy deleted")
                .containsExactly("cache");
    }
}
