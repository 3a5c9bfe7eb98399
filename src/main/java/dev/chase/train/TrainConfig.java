package dev.chase.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;

/**
 * Everything that determines the result of a training run. It is saved as {@code config.json} in
 * the run directory with the same kebab-case keys as the command-line flags and recipe files, so a
 * saved config is itself a valid recipe.
 *
 * @param model architecture name (see {@code NetSpecs.names()})
 * @param width width multiplier applied to every layer
 * @param dataset dataset name (see {@code DataCatalog})
 * @param dataDir folder holding the dataset files, or null for the dataset's default place
 * @param download whether a missing downloadable dataset may be fetched
 * @param epochs number of passes over the training set
 * @param batchSize training minibatch size
 * @param evalBatchSize minibatch size for evaluation
 * @param lr base learning rate
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay, applied to every parameter as in the reference
 * @param lrSchedule {@code step} or {@code cosine}
 * @param warmupEpochs linear warm-up length for the cosine schedule
 * @param labelSmoothing label smoothing of the cross-entropy loss
 * @param method training method ({@code dense})
 * @param seed drives initialisation, data order and augmentation
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record TrainConfig(
        String model,
        double width,
        String dataset,
        String dataDir,
        boolean download,
        int epochs,
        int batchSize,
        int evalBatchSize,
        double lr,
        double momentum,
        double weightDecay,
        String lrSchedule,
        double warmupEpochs,
        double labelSmoothing,
        String method,
        long seed) {

    /** Methods this build can train with. */
    public static final java.util.List<String> METHODS = java.util.List.of("dense");

    public TrainConfig {
        require(model != null && !model.isBlank(), "model must be given");
        require(dataset != null && !dataset.isBlank(), "dataset must be given");
        require(width > 0 && width <= 4, "width must be in (0, 4], got " + width);
        require(epochs > 0, "epochs must be positive, got " + epochs);
        require(batchSize > 0, "batch size must be positive, got " + batchSize);
        require(evalBatchSize > 0, "eval batch size must be positive, got " + evalBatchSize);
        require(lr > 0 && Double.isFinite(lr), "learning rate must be positive, got " + lr);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(warmupEpochs >= 0 && warmupEpochs < epochs, "warm-up epochs must be in [0, epochs), got " + warmupEpochs);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got " + labelSmoothing);
        LrSchedule.Kind.parse(lrSchedule);
        require(METHODS.contains(method), "unknown method '" + method + "': use one of " + METHODS);
    }

    /** The reference CIFAR recipe's optimisation settings on ResNet-20 / CIFAR-10. */
    public static TrainConfig defaults() {
        return new TrainConfig("resnet20", 1.0, "cifar10", null, false, 160, 128, 256,
                0.1, 0.9, 5e-4, "step", 0, 0, "dense", 41);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ChaseException(message);
        }
    }
}
