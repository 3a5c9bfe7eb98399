package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.data.CifarDataset.Split;
import org.junit.jupiter.api.Test;

class CifarVariantTest {
    @Test
    void cifar10Layout() {
        CifarVariant v = CifarVariant.CIFAR10;
        assertThat(v.archiveFileName()).isEqualTo("cifar-10-binary.tar.gz");
        assertThat(v.folderName()).isEqualTo("cifar-10-batches-bin");
        assertThat(v.files(Split.TRAIN)).hasSize(5).startsWith("data_batch_1.bin").endsWith("data_batch_5.bin");
        assertThat(v.files(Split.TEST)).containsExactly("test_batch.bin");
        assertThat(v.recordSize()).isEqualTo(3073);
        assertThat(v.numClasses()).isEqualTo(10);
        assertThat(v.md5()).isEqualTo("c32a1d4ab5d03f1284b67883e8d87530");
    }

    @Test
    void cifar100Layout() {
        CifarVariant v = CifarVariant.CIFAR100;
        assertThat(v.url().toString()).isEqualTo("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz");
        assertThat(v.folderName()).isEqualTo("cifar-100-binary");
        assertThat(v.files(Split.TRAIN)).containsExactly("train.bin");
        assertThat(v.files(Split.TEST)).containsExactly("test.bin");
        assertThat(v.recordSize()).isEqualTo(3074);
        assertThat(v.numClasses()).isEqualTo(100);
        assertThat(v.numCoarseClasses()).isEqualTo(20);
    }

    @Test
    void normalisationIsTheReferenceRecipes() {
        assertThat(CifarVariant.CIFAR10.normalization().mean()).containsExactly(0.4914, 0.4822, 0.4465);
        assertThat(CifarVariant.CIFAR100.normalization().std()).containsExactly(0.2673, 0.2564, 0.2762);
    }
}
