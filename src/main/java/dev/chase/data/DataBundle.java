package dev.chase.data;

/**
 * A dataset ready for training: the train and test splits with their transforms (augmentation and
 * normalisation for training, normalisation only for evaluation).
 *
 * @param name the dataset's name as the user gave it
 */
public record DataBundle(
        String name, ImageDataset train, ImageDataset test, Transform trainTransform, Transform evalTransform, int numClasses) {

    /** Shape of one model input. */
    public ImageShape inputShape() {
        return evalTransform.outputShape();
    }
}
