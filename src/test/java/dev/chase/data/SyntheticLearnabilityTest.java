package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** The synthetic set must be learnable by a tiny CNN, fed through the BatchLoader, in a few hundred steps. */
class SyntheticLearnabilityTest {

    /** The first or last part of a dataset. */
    record Slice(ImageDataset base, int from, int size) implements ImageDataset {
        @Override
        public int numClasses() {
            return base.numClasses();
        }

        @Override
        public int label(int index) {
            return base.label(from + index);
        }

        @Override
        public RawImage image(int index) {
            return base.image(from + index);
        }
    }

    @Test
    void tinyCnnLearnsFarAboveChance() {
        int classes = 10;
        ImageShape shape = new ImageShape(3, 16, 16);
        SyntheticDataset all = new SyntheticDataset(2400, classes, shape, 21);
        Normalization norm = Normalization.of(0.5, 0.25);
        BatchLoader train = new BatchLoader(new Slice(all, 0, 2000), RandomCropFlip.cifar(shape, norm), 32, true, true, 5);
        BatchLoader test = new BatchLoader(new Slice(all, 2000, 400), new Normalize(shape, norm), 100, false, false, 5);

        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
        try (Model model = Model.newInstance("tiny")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 3, 16, 16));
                int steps = 200;
                for (int step = 0; step < steps; step++) {
                    int epoch = step / train.numBatches();
                    try (NDManager m = trainer.getManager().newSubManager();
                            GradientCollector gc = trainer.newGradientCollector()) {
                        BatchLoader.Batch b = train.load(epoch, step % train.numBatches(), m);
                        NDArray loss = trainer.getLoss().evaluate(new NDList(b.labels()), trainer.forward(new NDList(b.images())));
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                int correct = 0;
                for (int bi = 0; bi < test.numBatches(); bi++) {
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        BatchLoader.Batch b = test.load(0, bi, m);
                        NDArray pred = trainer.evaluate(new NDList(b.images())).singletonOrThrow().argMax(1);
                        correct += (int) pred.eq(b.labels()).sum().getLong();
                    }
                }
                double accuracy = correct / 400.0;
                // chance is 0.1; 200 steps reach about 0.95
                assertThat(accuracy).as("held-out accuracy").isGreaterThan(0.6);
            }
        }
    }
}
