package dev.chase.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.io.Json;
import dev.chase.run.RunDirectory;
import dev.chase.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The config.json a new run writes maps to a typed config and back to the same bytes. */
class RunDirectoryConfigTest {
    private static DataBundle data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        data = DataCatalog.open("synthetic", null, false);
    }

    static Stream<TrainConfig> configs() {
        TrainConfig base = TrainConfig.defaults().with("model", "resnet20", "width", 0.25, "dataset", "synthetic", "epochs", 2,
                "batch-size", 50, "lr", 0.05, "lr-schedule", "cosine");
        return Stream.of(base, base.with("method", "static"), base.with("method", "set", "scope", "global"),
                base.with("method", "rigl", "update-interval", 15), base.with("method", "mest", "soft-bound-end", 1),
                base.with("method", "chase", "update-interval", 10, "channel-interval", 10, "channel-sparsity", 0.5,
                        "soft-bound-end", 1, "prune-skip", true, "shrink-during-training", false),
                base.with("model", "vgg11", "method", "chase", "update-interval", 10, "channel-interval", 10, "target-flops", 0.5,
                        "round-to", 8));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theWrittenConfigJsonRoundTripsByteForByte(TrainConfig requested) throws Exception {
        Path dir = tmp.resolve("run");
        TrainingRun.create(dir, requested, data).close();
        String bytes = Files.readString(dir.resolve("config.json"));
        TrainConfig saved = RunDirectory.open(dir).readConfig();
        RunConfig typed = RunConfig.from(saved);
        assertThat(Json.writePretty(typed.toTrainConfig())).isEqualTo(bytes);
        assertThat(typed).isEqualTo(RunConfig.from(requested).resolved());
    }

    /** The README's library snippet, on synthetic data: a typed config trains and is what the run directory holds. */
    @org.junit.jupiter.api.Test
    void aTypedConfigTrainsAsTheReadmeShows() throws Exception {
        RunConfig config = RunConfig.builder()
                .model(Model.RESNET20, 0.25)
                .data(Dataset.SYNTHETIC)
                .epochs(1).batchSize(50).cosine(0)
                .method(Methods.chase(Channels.flops(0.7).interval(10)).density(0.2).updateInterval(10))
                .build();
        Path dir = tmp.resolve("typed");
        try (TrainingRun run = TrainingRun.create(dir, config, data)) {
            assertThat(run.train(Integer.MAX_VALUE, dev.chase.train.TrainListener.SILENT)).isTrue();
            assertThat(run.history()).hasSize(1);
            assertThat(run.sparse().channels().costFraction()).isLessThan(1.0);
        }
        assertThat(RunConfig.from(RunDirectory.open(dir).readConfig())).isEqualTo(config.resolved());
    }
}
