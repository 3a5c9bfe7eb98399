package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A count flag out of range, an option no chosen method reads, or a method that does not exist, is refused by name before the command loads or measures anything. */
class FlagRangeTest {
    @TempDir
    static Path tmp;

    static Stream<Arguments> outOfRange() {
        String table = tmp.resolve("table.json").toString();
        return Stream.of(
                Arguments.of("--repeats must be positive, got 0", new String[] {"bench", "nowhere", "--repeats", "0"}),
                Arguments.of("--warmup must be 0 or more, got -1", new String[] {"bench", "nowhere", "--warmup", "-1"}),
                Arguments.of("--batch-sizes must be positive, got -4", new String[] {"bench", "nowhere", "--batch-sizes", "1,-4"}),
                Arguments.of("--warmup must be 0 or more, got -3", new String[] {"profile", "--model", "vgg11", "--warmup", "-3"}),
                Arguments.of("--repeats must be positive, got 0",
                        new String[] {"profile-latency", "--model", "resnet20", "--repeats", "0", "--latency-table", table}),
                Arguments.of("--warmup must be 0 or more, got -1",
                        new String[] {"profile-latency", "--model", "resnet20", "--warmup", "-1", "--latency-table", table}),
                Arguments.of("--batch-size must be positive, got 0",
                        new String[] {"profile-latency", "--model", "resnet20", "--batch-size", "0", "--latency-table", table}),
                Arguments.of("--check-repeats must be positive, got 0",
                        new String[] {"profile-latency", "--model", "resnet20", "--check-repeats", "0", "--latency-table", table}),
                Arguments.of("--steps must be positive, got 0", new String[] {"bench-train", "--model", "resnet20", "--steps", "0"}),
                Arguments.of("--warmup must be 0 or more, got -1", new String[] {"bench-train", "--model", "resnet20", "--warmup", "-1"}),
                Arguments.of("--rounds 5 is more than --steps 2", new String[] {"bench-train", "--model", "resnet20", "--method",
                    "dense,rigl", "--steps", "2", "--rounds", "5"}),
                Arguments.of("--epochs must be positive, got 0", new String[] {"demo", "--epochs", "0"}),
                Arguments.of("unknown method 'sparse': use one of [dense, static, set, rigl, mest, chase]",
                        new String[] {"demo", "--method", "sparse", "--run-dir", tmp.resolve("run").toString()}),
                Arguments.of("width must be in (0, 4], got 9.0", new String[] {"bench-train", "--model", "resnet20", "--width", "9"}),
                Arguments.of("--density is not used by --method dense; it would change nothing",
                        new String[] {"bench-train", "--model", "resnet20", "--density", "2"}),
                Arguments.of("--channel-interval is not used by --method dense,rigl; it would change nothing",
                        new String[] {"bench-train", "--model", "resnet20", "--method", "dense,rigl", "--channel-interval", "5"}),
                Arguments.of("--eval-batch-size must be positive, got 0", new String[] {"eval", "nowhere", "--eval-batch-size", "0"}),
                Arguments.of("--until-epoch must be positive, got 0", new String[] {"train", "--model", "resnet20", "--dataset",
                    "synthetic", "--until-epoch", "0", "--run-dir", tmp.resolve("run").toString()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void isRefusedByName(String message, String[] args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("chase: " + message + (message.startsWith("--rounds") ? ": every round times at least one step"
                + " of each method" : "") + System.lineSeparator());
        assertThat(tmp.resolve("table.json")).doesNotExist();
        assertThat(tmp.resolve("run")).doesNotExist();
    }
}
