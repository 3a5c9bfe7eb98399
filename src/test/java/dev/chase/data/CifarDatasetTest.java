package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.data.CifarDataset.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDatasetTest {
    @TempDir Path root;

    private static void assertImage(CifarDataset ds, int i, int salt) {
        byte[] expected = new byte[CifarFixtures.IMAGE];
        for (int j = 0; j < expected.length; j++) {
            expected[j] = (byte) CifarFixtures.pixel(i, j, salt);
        }
        RawImage img = ds.image(i);
        assertThat(img.shape()).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(img.data()).as("pixels of image %d", i).isEqualTo(expected);
    }

    @Test
    void loadsCifar10TrainAndTestWithLabelsAndPixels() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);

        CifarDataset train = CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false);
        CifarDataset test = CifarDataset.load(data, CifarVariant.CIFAR10, Split.TEST, false);

        assertThat(train.size()).isEqualTo(20);
        assertThat(train.numClasses()).isEqualTo(10);
        for (int i = 0; i < 20; i++) {
            assertThat(train.label(i)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR10, i));
            assertImage(train, i, 0);
        }
        assertThat(test.size()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(test.label(i)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR10, i));
            assertImage(test, i, 100);
        }
        // (c, y, x) indexing matches the stored channel-major layout
        assertThat(train.image(3).at(2, 31, 31)).isEqualTo(CifarFixtures.pixel(3, 3071, 0));
        assertThat(train.image(3).at(1, 0, 5)).isEqualTo(CifarFixtures.pixel(3, 1024 + 5, 0));
    }

    @Test
    void acceptsTheParentOfTheExtractedFolder() throws Exception {
        CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);

        assertThat(CifarDataset.load(root, CifarVariant.CIFAR10, Split.TEST, false).size()).isEqualTo(10);
    }

    @Test
    void cifar100UsesTheFineLabel() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR100, 20, 10);

        CifarDataset train = CifarDataset.load(data, CifarVariant.CIFAR100, Split.TRAIN, false);

        assertThat(train.numClasses()).isEqualTo(100);
        assertThat(train.size()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(train.label(i)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR100, i));
            assertImage(train, i, 0);
        }
        assertThat(train.label(3)).isEqualTo(24); // fine label; the coarse byte of that record is 4
    }

    @Test
    void imagesAreCopies() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);
        CifarDataset test = CifarDataset.load(data, CifarVariant.CIFAR10, Split.TEST, false);

        Arrays.fill(test.image(0).data(), (byte) 0);

        assertImage(test, 0, 100);
    }

    @Test
    void theOfficialLoaderInsistsOnTheFullSplit() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 train split in " + data + " has 20 images, expected 50000; the files are"
                        + " truncated or corrupt, delete " + data + " and download it again (--download)");
    }

    @Test
    void truncatedFileIsReported() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);
        Path file = data.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 file " + file + " is truncated or corrupt: " + (bytes.length - 100)
                        + " bytes is not a whole number of 3073-byte records; delete " + data
                        + " and download it again (--download)");
    }

    @Test
    void emptyFileIsReported() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR100, 20, 10);
        Path file = data.resolve("test.bin");
        Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR100, Split.TEST, false))
                .hasMessage("CIFAR-100 file " + file + " is empty; delete " + data + " and download it again"
                        + " (--download)");
    }

    @Test
    void labelOutOfRangeIsReported() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);
        Path file = data.resolve("test_batch.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[3 * 3073] = 10; // label byte of record 3
        Files.write(file, bytes);

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR10, Split.TEST, false))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 file " + file + " is corrupt: record 3 has label 10, expected 0..9; delete "
                        + data + " and download it again (--download)");
    }

    @Test
    void cifar100LabelsAreCheckedBothWays() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR100, 20, 10);
        Path file = data.resolve("train.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[5 * 3074 + 1] = (byte) 200; // fine label of record 5
        bytes[7 * 3074] = 20; // coarse label of record 7 (never reached)
        Files.write(file, bytes);

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR100, Split.TRAIN, false))
                .hasMessageContaining("file " + file + " is corrupt: record 5 has label 200, expected 0..99");

        bytes[5 * 3074 + 1] = 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR100, Split.TRAIN, false))
                .hasMessageContaining("file " + file + " is corrupt: record 7 has coarse label 20, expected 0..19");
    }

    @Test
    void missingFileSaysHowToGetIt() throws Exception {
        Path data = CifarFixtures.writeBinFolder(root, CifarVariant.CIFAR10, 20, 10);
        Path file = data.resolve("data_batch_5.bin");
        Files.delete(file);

        assertThatThrownBy(() -> CifarDataset.load(data, CifarVariant.CIFAR10, Split.TRAIN, false))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 file " + file + " not found; pass --download to fetch CIFAR-10, or point"
                        + " --data-dir at a complete extracted cifar-10-batches-bin folder");
    }

    @Test
    void missingFolderSaysHowToGetIt() {
        Path nowhere = root.resolve("nowhere");

        assertThatThrownBy(() -> CifarDataset.load(nowhere, CifarVariant.CIFAR100, Split.TEST))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-100 data folder " + nowhere + " does not exist; pass --download to fetch"
                        + " CIFAR-100, or point --data-dir at the extracted cifar-100-binary folder");
    }

    @Test
    void aFileInsteadOfTheFolderIsNamedSo() throws Exception {
        Path file = Files.writeString(root.resolve("a-file"), "x");

        assertThatThrownBy(() -> CifarDataset.load(file, CifarVariant.CIFAR10, Split.TEST))
                .isInstanceOf(ChaseException.class)
                .hasMessage("CIFAR-10 data folder " + file + " is a file, not a folder");
    }

    @Test
    void folderWithoutTheFilesNamesTheFirstMissingOne() throws Exception {
        Path empty = Files.createDirectory(root.resolve("empty"));

        assertThatThrownBy(() -> CifarDataset.load(empty, CifarVariant.CIFAR10, Split.TEST))
                .hasMessageStartingWith("CIFAR-10 file " + empty.resolve("test_batch.bin") + " not found; pass"
                        + " --download");
    }
}
