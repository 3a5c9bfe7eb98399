package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chase profile-latency and a chase run with --target-latency that uses its table. */
class ProfileLatencyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void profilesChecksCachesAndTrainsWithTheTable() {
        Path table = tmp.resolve("tables/r20.json");
        String[] profile = {"profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2", "--warmup", "0",
            "--repeats", "1", "--latency-table", table.toString(), "--check", "1", "--check-repeats", "1", "--threads", "1"};
        CliRunner r = CliRunner.run(profile);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(table).exists();
        assertThat(r.out()).contains("measuring layer latencies of resnet20").contains("round 1/1")
                .contains("layer3.2.conv2").contains("predicted dense forward")
                .contains("dense").contains("half").contains("random-1").contains("largest error");

        CliRunner again = CliRunner.run(profile);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("measuring layer latencies").contains("predicted dense forward");

        Path run = tmp.resolve("run");
        CliRunner train = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "1",
                "--batch-size", "50", "--method", "chase", "--update-interval", "10", "--channel-interval", "10",
                "--soft-bound-end", "1", "--target-latency", "0.7", "--latency-table", table.toString(), "--threads", "1",
                "--run-dir", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).doesNotContain("measuring layer latencies").contains("shrunk: ");
        assertThat(run.resolve("latency-table.json")).exists();

        CliRunner checked = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2",
                "--latency-table", table.toString(), "--check", "0", "--check-repeats", "1", "--check-run", run.toString(),
                "--threads", "1");
        assertThat(checked.exitCode()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("timing 3 networks").containsPattern("(?m)^run:\\S+ +[0-9.]+ +[0-9.]+");

        CliRunner twice = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2",
                "--latency-table", table.toString(), "--check", "0", "--check-run", run + "," + run, "--threads", "1");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("twice");

        CliRunner unchecked = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2",
                "--latency-table", table.toString(), "--check-run", run.toString(), "--threads", "1");
        assertThat(unchecked.exitCode()).isEqualTo(2);
        assertThat(unchecked.err()).contains("--check-run needs --check N");
        Path elsewhere = tmp.resolve("r20-half.json");
        CliRunner other = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.5", "--batch-size", "2",
                "--latency-table", elsewhere.toString(), "--check", "0", "--check-run", run.toString(), "--threads", "1");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("trained another architecture");
        assertThat(elsewhere).as("refused before measuring").doesNotExist();
    }

    @Test
    void aGraphFileIsProfiledAdaptedToTheDataAndTrainsWithItsTable() throws Exception {
        Path file = TrainGraphFileTest.concatGraph(tmp.resolve("net.json"));
        Path table = tmp.resolve("net-table.json");
        CliRunner r = CliRunner.run("profile-latency", "--model", "graph:" + file, "--in-channels", "3", "--classes", "10",
                "--batch-size", "2", "--warmup", "0", "--repeats", "1", "--latency-table", table.toString(), "--check", "1",
                "--check-repeats", "1", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("measuring layer latencies of net.json-").contains("stem").contains("fc")
                .contains("predicted dense forward").contains("largest error");

        Path run = tmp.resolve("run");
        CliRunner train = CliRunner.run("train", "--model", "graph:" + file, "--dataset", "synthetic", "--epochs", "1",
                "--batch-size", "50", "--method", "chase", "--update-interval", "10", "--channel-interval", "10",
                "--soft-bound-end", "1", "--target-latency", "0.7", "--latency-table", table.toString(), "--threads", "1",
                "--run-dir", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).doesNotContain("measuring layer latencies").contains("shrunk: ");

        CliRunner checked = CliRunner.run("profile-latency", "--model", "graph:" + file, "--in-channels", "3", "--classes", "10",
                "--batch-size", "2", "--latency-table", table.toString(), "--check", "0", "--check-repeats", "1", "--check-run",
                run.toString(), "--threads", "1");
        assertThat(checked.exitCode()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("timing 3 networks");

        // the file as it is (1 channel, 1000 classes) is another architecture than the one the table describes
        CliRunner own = CliRunner.run("profile-latency", "--model", "graph:" + file, "--latency-table", table.toString());
        assertThat(own.exitCode()).isEqualTo(2);
        assertThat(own.err()).contains("was measured for net.json-");
    }

    @Test
    void checkWidthsTimesTheNetworksItNamesAndRefusesWidthsTheGroupsCannotHave() {
        Path table = tmp.resolve("r20.json");
        String[] base = {"profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2", "--warmup", "0", "--repeats",
            "1", "--latency-table", table.toString(), "--threads", "1", "--check", "0", "--check-repeats", "1"};
        for (String wrong : List.of("layer9.*=2", "layer3.*.conv1=17", "layer3.*.conv1=two", "layer3.0.conv1", "layer3.*=2,layer3.1.*=4")) {
            CliRunner r = CliRunner.run(concat(base, "--check-widths", wrong));
            assertThat(r.exitCode()).as(wrong).isEqualTo(2);
            assertThat(r.err()).as(wrong).startsWith("chase: --check-widths " + wrong + ": ").hasLineCount(1);
        }
        assertThat(table).as("refused before measuring").doesNotExist();

        CliRunner r = CliRunner.run(concat(base, "--check-widths", "layer3.*.conv1=2", "--check-widths", "stream2=8,layer2.0.conv1=1"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("timing 4 networks");
        for (String name : List.of("layer3.*.conv1=2", "stream2=8,layer2.0.conv1=1")) {
            String row = r.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
            assertThat(Double.parseDouble(row.trim().split("\\s+")[4])).as(name + ": predicted fraction of dense").isBetween(0.0, 0.99);
        }
    }

    private static String[] concat(String[] base, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void checkRefusesATableOfOtherTimingConditions() {
        Path table = tmp.resolve("r20.json");
        CliRunner made = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "2", "--warmup", "0",
                "--repeats", "1", "--latency-table", table.toString(), "--threads", "1");
        assertThat(made.exitCode()).as(made.err()).isZero();
        CliRunner r = CliRunner.run("profile-latency", "--model", "resnet20", "--width", "0.25", "--batch-size", "4",
                "--latency-table", table.toString(), "--check", "0", "--threads", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("the table was measured at batch 2");
        Path unmeasured = tmp.resolve("unmeasured.json");
        CliRunner rounding = CliRunner.run("profile-latency", "--model", "resnet20", "--check", "1", "--check-round-to", "0",
                "--latency-table", unmeasured.toString());
        assertThat(rounding.exitCode()).isEqualTo(2);
        assertThat(rounding.err()).contains("--check-round-to");
        assertThat(unmeasured).as("refused before measuring").doesNotExist();
        CliRunner other = CliRunner.run("profile-latency", "--model", "resnet32", "--width", "0.25", "--latency-table", table.toString());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("was measured for resnet20 width 0.25");
    }
}
