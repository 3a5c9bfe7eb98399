package dev.chase.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a dataset's content, cheaply: the sizes of both splits, the class count, and a
 * SHA-256 over every label and an evenly spread sample of images (their shapes and pixels). Images
 * replaced or reordered, a split cut or extended, other labels: the digest changes. A run records
 * it when it starts and compares it when it is resumed, so a run never continues on other data.
 *
 * @param trainImages images in the training split
 * @param testImages images in the test split
 * @param classes number of classes
 * @param sha256 hex digest of the labels and the sampled images of both splits
 */
public record DataFingerprint(int trainImages, int testImages, int classes, String sha256) {
    /** Images hashed per split, spread evenly over it (all of them in a smaller split). */
    static final int SAMPLE = 1024;

    /** Computes the fingerprint of {@code data}: reads every label and at most {@link #SAMPLE} images per split. */
    public static DataFingerprint of(DataBundle data) {
        MessageDigest digest = newDigest();
        digest.update(("classes " + data.numClasses()).getBytes(StandardCharsets.UTF_8));
        hash(digest, "train", data.train());
        hash(digest, "test", data.test());
        return new DataFingerprint(data.train().size(), data.test().size(), data.numClasses(),
                HexFormat.of().formatHex(digest.digest()));
    }

    private static void hash(MessageDigest digest, String split, ImageDataset set) {
        int n = set.size();
        digest.update((split + " " + n).getBytes(StandardCharsets.UTF_8));
        byte[] labels = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            int label = set.label(i);
            labels[4 * i] = (byte) (label >>> 24);
            labels[4 * i + 1] = (byte) (label >>> 16);
            labels[4 * i + 2] = (byte) (label >>> 8);
            labels[4 * i + 3] = (byte) label;
        }
        digest.update(labels);
        int sample = Math.min(n, SAMPLE);
        for (int k = 0; k < sample; k++) {
            RawImage image = set.image((int) ((long) k * n / sample));
            digest.update(image.shape().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(image.data());
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The differences to {@code other} in words ("12000 training images instead of 60000"), or the digest. */
    public String differenceTo(DataFingerprint other) {
        if (trainImages != other.trainImages) {
            return trainImages + " training images instead of " + other.trainImages;
        }
        if (testImages != other.testImages) {
            return testImages + " test images instead of " + other.testImages;
        }
        if (classes != other.classes) {
            return classes + " classes instead of " + other.classes;
        }
        return "the same counts but other images or labels (digest " + sha256.substring(0, 12) + " instead of "
                + other.sha256.substring(0, 12) + ")";
    }
}
