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
}
