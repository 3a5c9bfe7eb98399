import ai.djl.ndarray.NDManager;
import dev.chase.channel.BatchNormRecalibration;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.run.RunDirectory;
import dev.chase.train.Evaluator;
import dev.chase.train.TrainListener;
import dev.chase.train.TrainingRun;
import java.nio.file.Path;

/**
 * Trains a new run with the config of an existing one for its first epochs and, after each, prints the test accuracy
 * with BatchNorm's running statistics and after recalibrating them with one pass over the training data (as chase does
 * for the shrunk network). Recalibrating changes only the statistics, which training does not read, so the run trains
 * on as it would have; the next epoch's running statistics start from the recalibrated ones. Run through
 * experiments/bn-lag.sh.
 */
public class BatchNormLag {
    public static void main(String[] args) {
        TrainConfig config = RunDirectory.open(Path.of(args[0])).readConfig();
        int epochs = Integer.parseInt(args[2]);
        DataBundle data = DataCatalog.open(config.dataset(), config.dataDir(), false);
        BatchLoader train = new BatchLoader(data.train(), data.evalTransform(), config.batchSize(), false, false, config.seed());
        BatchLoader test = new BatchLoader(data.test(), data.evalTransform(), config.evalBatchSize(), false, false, config.seed());
        try (TrainingRun run = TrainingRun.create(Path.of(args[1]), config, data); NDManager manager = NDManager.newBaseManager()) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                run.train(epoch, TrainListener.SILENT);
                double running = Evaluator.evaluate(run.network().block(), test, manager).accuracy();
                BatchNormRecalibration.recalibrate(run.network(), visitor -> {
                    for (int b = 0; b < train.numBatches(); b++) {
                        try (NDManager sub = manager.newSubManager()) {
                            visitor.accept(train.load(0, b, sub).images());
                        }
                    }
                });
                double recalibrated = Evaluator.evaluate(run.network().block(), test, manager).accuracy();
                System.out.printf("epoch %d: test accuracy %.2f%% with the running statistics, %.2f%% with them recalibrated%n",
                        epoch, 100 * running, 100 * recalibrated);
            }
        }
    }
}
