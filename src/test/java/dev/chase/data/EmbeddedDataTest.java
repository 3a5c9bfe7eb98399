package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EmbeddedDataTest {

    static int[] classCounts(ImageDataset ds) {
        int[] counts = new int[ds.numClasses()];
        for (int i = 0; i < ds.size(); i++) {
            counts[ds.label(i)]++;
        }
        return counts;
    }

    @Test
    void trainSplitHasTenThousandBalancedPaddedImages() {
        IdxDataset train = EmbeddedData.fashionMnistTrain();
        assertThat(train.size()).isEqualTo(10_000);
        assertThat(train.numClasses()).isEqualTo(10);
        assertThat(classCounts(train)).containsOnly(1000);
        assertThat(train.shape()).isEqualTo(new ImageShape(1, 32, 32));
        assertThat(train.storedRows()).isEqualTo(28);
        RawImage img = train.image(0);
        assertThat(img.at(0, 0, 0)).isZero();
        int inkPixels = 0;
        for (byte b : img.data()) {
            inkPixels += b != 0 ? 1 : 0;
        }
        assertThat(inkPixels).isGreaterThan(100);
        // first example of the original training set is an ankle boot (label 9)
        assertThat(train.label(0)).isEqualTo(9);
    }

    @Test
    void testSplitHasTwoThousandBalancedImages() {
        IdxDataset test = EmbeddedData.fashionMnist(false, IdxDataset.Options.PAD32_RGB);
        assertThat(test.size()).isEqualTo(2_000);
        assertThat(classCounts(test)).containsOnly(200);
        assertThat(test.image(5).shape()).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(EmbeddedData.fashionMnistTest().shape()).isEqualTo(new ImageShape(1, 32, 32));
    }

    @Test
    void subsetStatisticsMatchTheConstant() {
        Normalization n = Normalization.compute(EmbeddedData.fashionMnist(true, IdxDataset.Options.RAW));
        assertThat(n.mean()[0]).isCloseTo(Normalization.FASHION_MNIST_SUBSET.mean()[0], within(5e-5));
        assertThat(n.std()[0]).isCloseTo(Normalization.FASHION_MNIST_SUBSET.std()[0], within(5e-5));
        // and close to the full training set, as a balanced sample should be
        assertThat(n.mean()[0]).isCloseTo(Normalization.FASHION_MNIST.mean()[0], within(0.002));
        assertThat(n.std()[0]).isCloseTo(Normalization.FASHION_MNIST.std()[0], within(0.002));
    }
}
