package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.Hostile;
import dev.chase.data.CifarFixtures.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and damaged dataset files and archives: every reader either reads them correctly or
 * refuses them with a ChaseException, quickly, without allocating beyond what the bytes justify,
 * and extraction never writes outside its target folder.
 */
class HostileDataFilesTest {
    private static final int TRIES = 200;
    private static final long MB = 1 << 20;

    @TempDir
    Path tmp;

    private static byte[] validImages() throws IOException {
        return IdxDatasetTest.imageFile(IdxDataset.IMAGES_MAGIC, 5, 28, 28, 5 * 28 * 28);
    }

    private static byte[] validLabels() throws IOException {
        return IdxDatasetTest.labelFile(IdxDataset.LABELS_MAGIC, 0, 3, 9, 1, 7);
    }

    @Test
    void idxFilesAreReadOrRefused() throws IOException {
        List<byte[]> samples = List.of(validImages(), validLabels());
        Hostile.Tally tally = new Hostile.Tally("IDX files (raw and gzip)");
        Hostile.forAll("idx", TRIES, r -> {
            // hot spots: the magic number and the size fields of both headers
            byte[] file = Hostile.bytes(r, 64, samples, 0, 4, 8, 12);
            boolean asImages = r.nextBoolean();
            byte[] stored = r.nextBoolean() ? IdxDatasetTest.gzip(file) : file;
            Path images = Files.write(tmp.resolve("images"), asImages ? stored : validImages());
            Path labels = Files.write(tmp.resolve("labels"), asImages ? validLabels() : stored);
            IdxDataset ds = Hostile.read(tally, file, 5, 16 * MB + 8L * file.length,
                    () -> IdxDataset.fromFiles(images, labels, IdxDataset.Options.PAD32_RGB));
            if (ds != null) {
                assertThat(ds.size()).isEqualTo(5);
                for (int i = 0; i < ds.size(); i++) {
                    assertThat(ds.label(i)).isBetween(0, 9);
                    assertThat(ds.image(i).data()).hasSize(3 * 32 * 32);
                }
            }
        });
        tally.assertBothOutcomes();
    }

    @Test
    void idxHeadersDeclaringGigabytesAllocateNothing() throws IOException {
        Hostile.Tally tally = new Hostile.Tally("IDX headers declaring up to 2^31 images");
        int[] counts = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, 2_700_000, 1_000_000, 100_000};
        for (int count : counts) {
            for (boolean gzip : new boolean[] {false, true}) {
                byte[] file = ByteBuffer.allocate(16 + 1000).putInt(IdxDataset.IMAGES_MAGIC).putInt(count).putInt(28).putInt(28).array();
                Path images = Files.write(tmp.resolve("images"), gzip ? IdxDatasetTest.gzip(file) : file);
                Path labels = Files.write(tmp.resolve("labels"), validLabels());
                // a header-sized read must not cost more than the reader's fixed buffers (1 MB chunk, 64 KB streams)
                assertThat((Object) Hostile.read(tally, file, 5, 2 * MB,
                        () -> IdxDataset.fromFiles(images, labels, IdxDataset.Options.RAW))).as("count " + count).isNull();
            }
        }
    }

    @Test
    void cifarBatchesAreReadOrRefused() {
        List<byte[]> samples = List.of(CifarFixtures.records(CifarVariant.CIFAR10, 0, 3, 0),
                CifarFixtures.records(CifarVariant.CIFAR100, 0, 3, 0));
        Hostile.Tally tally = new Hostile.Tally("CIFAR batches");
        Hostile.forAll("cifar", TRIES, r -> {
            byte[] file = Hostile.bytes(r, 8000, samples, 0, 3073, 3074, 6146, 6148);
            CifarVariant v = r.nextBoolean() ? CifarVariant.CIFAR100 : CifarVariant.CIFAR10;
            Path dir = Files.createDirectories(tmp.resolve(v.folderName()));
            Files.write(dir.resolve(v.files(CifarDataset.Split.TEST).get(0)), file);
            CifarDataset ds = Hostile.read(tally, file, 5, 16 * MB + 8L * file.length,
                    () -> CifarDataset.load(dir, v, CifarDataset.Split.TEST, false));
            if (ds != null) {
                assertThat((long) ds.size() * v.recordSize()).isEqualTo(file.length);
                for (int i = 0; i < ds.size(); i++) {
                    assertThat(ds.label(i)).isBetween(0, v.numClasses() - 1);
                }
            }
        });
        tally.assertBothOutcomes();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void archivesAreExtractedInsideTheTargetOrRefused() throws IOException {
        // damage goes into the tar (then gzipped), where the extractor's own checks are
        List<byte[]> tars = List.of(
                gunzip(CifarFixtures.tarGz(List.of(Item.dir("d/"), Item.file("d/a.bin", new byte[700]),
                        Item.file("b.txt", "hello".getBytes(StandardCharsets.UTF_8))))),
                gunzip(CifarFixtures.tarGz(List.of(Item.file("ok.txt", new byte[3]), Item.symlink("l", "/etc"),
                        Item.file("x/../../escape.txt", new byte[4]), Item.hardLink("h", "ok.txt")))),
                gunzip(CifarFixtures.tarGz(List.of(Item.file("n/" + "a".repeat(150) + ".bin", new byte[10])))));
        // hot spots: each 512-byte header's name, size field (124) and type flag (156)
        int[] hot = IntStream.range(0, 8).flatMap(b -> IntStream.of(512 * b, 512 * b + 124, 512 * b + 156)).toArray();
        Hostile.Tally tally = new Hostile.Tally("tar.gz archives");
        Path archives = tmp.resolve("archives");
        Path work = tmp.resolve("work");
        Hostile.forAll("archives", TRIES, r -> {
            byte[] tar = Hostile.bytes(r, 3000, tars, hot);
            byte[] gz = IdxDatasetTest.gzip(tar);
            if (r.nextInt(4) == 0) {
                gz = Arrays.copyOf(gz, r.nextInt(gz.length)); // a cut download
            }
            Path archive = Files.write(Files.createDirectories(archives).resolve("a.tar.gz"), gz);
            Path target = Files.createDirectories(work).resolve("out");
            Path result = Hostile.read(tally, tar, 5, 16 * MB, () -> SafeExtractor.extractTarGz(archive, target, 100_000));
            List<String> tree = CifarFixtures.listTree(tmp);
            List<String> outside = new ArrayList<>(List.of("archives", "archives/a.tar.gz", "work"));
            if (result == null) {
                assertThat(tree).as("a refused archive leaves nothing behind").containsExactlyElementsOf(outside);
            } else {
                for (String p : tree) {
                    assertThat(outside.contains(p) || p.equals("work/out") || p.startsWith("work/out/")).as(p).isTrue();
                    assertThat(Files.isSymbolicLink(tmp.resolve(p))).as(p).isFalse();
                }
            }
            Hostile.deleteTree(archives);
            Hostile.deleteTree(work);
        });
        tally.assertBothOutcomes();
    }
}
