package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void sameSeedSameDataDifferentSeedDifferentData() {
        ImageShape shape = new ImageShape(3, 16, 16);
        SyntheticDataset a = new SyntheticDataset(100, 5, shape, 7);
        SyntheticDataset b = new SyntheticDataset(100, 5, shape, 7);
        SyntheticDataset c = new SyntheticDataset(100, 5, shape, 8);
        assertThat(a.image(42).data()).isEqualTo(b.image(42).data());
        assertThat(a.image(42).data()).isNotEqualTo(c.image(42).data());
        assertThat(a.image(42).data()).isNotEqualTo(a.image(47).data());
        assertThat(a.image(3).shape()).isEqualTo(shape);
        assertThat(a.size()).isEqualTo(100);
        assertThat(a.numClasses()).isEqualTo(5);
        int[] perClass = new int[5];
        for (int i = 0; i < a.size(); i++) {
            perClass[a.label(i)]++;
        }
        assertThat(perClass).containsOnly(20);
    }

    @Test
    void nearestClassMeanClassifierIsFarAboveChance() {
        // class means estimated on one half, accuracy measured on the other: a signal a CNN can learn
        int classes = 10;
        ImageShape shape = new ImageShape(1, 16, 16);
        SyntheticDataset ds = new SyntheticDataset(1000, classes, shape, 3);
        double[][] mean = new double[classes][shape.size()];
        for (int i = 0; i < 500; i++) {
            byte[] d = ds.image(i).data();
            for (int k = 0; k < d.length; k++) {
                mean[ds.label(i)][k] += (d[k] & 0xFF) / 50.0;
            }
        }
        int correct = 0;
        for (int i = 500; i < 1000; i++) {
            byte[] d = ds.image(i).data();
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int k = 0; k < classes; k++) {
                double dist = 0;
                for (int j = 0; j < d.length; j++) {
                    double e = (d[j] & 0xFF) - mean[k][j];
                    dist += e * e;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = k;
                }
            }
            correct += best == ds.label(i) ? 1 : 0;
        }
        assertThat(correct / 500.0).isGreaterThan(0.9);
    }

    @Test
    void singlePixelsAreNoisy() {
        // two examples of the same class differ: the noise is real
        SyntheticDataset ds = new SyntheticDataset(20, 2, new ImageShape(1, 8, 8), 1);
        byte[] a = ds.image(0).data();
        byte[] b = ds.image(2).data();
        int differing = 0;
        for (int k = 0; k < a.length; k++) {
            differing += Math.abs((a[k] & 0xFF) - (b[k] & 0xFF)) > 10 ? 1 : 0;
        }
        assertThat(differing).isGreaterThan(a.length / 2);
    }
}
