package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.chase.bench.OpProfiler;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chase profile} on a run directory holding a dense-width and a shrunk model, and its user errors. */
class ProfileCommandTest {
    @TempDir
    Path tmp;

    /** A finished run as far as profile reads one: config.json, model/ and, if asked, model-slim/. */
    private Path run(String name, boolean withShrunk) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), "{}");
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 0.25);
        try (NDManager manager = NDManager.newBaseManager()) {
            save(dir.resolve("model"), spec, manager);
            if (withShrunk) {
                save(dir.resolve("model-slim"), spec.withGroupWidths(Map.of("layer1.0.conv1", 3, "layer3.1.conv1", 7)), manager);
            }
        }
        return dir;
    }

    private static void save(Path dir, NetSpec spec, NDManager manager) {
        Network n = Network.build(spec);
        n.initialize(manager);
        SavedModel.save(dir, n);
    }

    private static CliRunner fails(String expectedMessage, String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(expectedMessage).doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    @Test
    void profilesTheDenseAndTheShrunkNetworkOfARun() throws IOException {
        Path run = run("run", true);
        CliRunner r = CliRunner.run("profile", run.toString(), "--batch-size", "2", "--warmup", "0", "--repeats", "1", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer1.0.bn1", "4x32x32>3x32x32", "layer1.0.bn2+add", "batch-norm", "sum of op medians",
                "speed-up of the whole pass", "threads 1,", "wrote " + run.resolve("profile.json"));
        OpProfiler.Profile p = Json.MAPPER.readValue(run.resolve("profile.json").toFile(), OpProfiler.Profile.class);
        assertThat(p.batchSize()).isEqualTo(2);
        assertThat(p.totals()).hasSize(2);
        OpProfiler.Op conv = p.ops().stream().filter(o -> o.name().equals("layer3.1.conv2")).findFirst().orElseThrow();
        assertThat(conv.shrunk().input()).containsExactly(2L, 7L, 8L, 8L);
        assertThat(conv.workSpeedup()).isCloseTo(16.0 / 7, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void profilesANamedArchitectureWithoutWritingAFile() {
        CliRunner r = CliRunner.run("profile", "--model", "vgg11", "--width", "0.125", "--batch-size", "2", "--warmup", "0",
                "--repeats", "1", "--training", "--threads", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("vgg11 width 0.125", "training", "max-pool", "dense  sum of op medians").doesNotContain("wrote");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void badInputIsOneClearMessage() throws IOException {
        fails("run directory " + tmp.resolve("missing") + " does not exist", "profile", tmp.resolve("missing").toString());
        fails("give either a run directory or --model NAME", "profile");
        Path unshrunk = run("unshrunk", false);
        fails("give either a run directory or --model NAME", "profile", unshrunk.toString(), "--model", "vgg11");
        fails("has no shrunk model (model-slim/)", "profile", unshrunk.toString());
        Files.delete(unshrunk.resolve("model/parameters.bin"));
        fails("has no final model yet", "profile", unshrunk.toString());
        fails("--batch-size must be positive, got 0", "profile", "--model", "vgg11", "--batch-size", "0");
        fails("--repeats must be positive, got 0", "profile", "--model", "vgg11", "--repeats", "0");
        fails("--threads must be positive", "profile", "--model", "vgg11", "--threads", "0");
        fails("unknown model 'vgg12'", "profile", "--model", "vgg12");
        fails("Invalid value for option '--warmup'", "profile", "--model", "vgg11", "--warmup", "some");
    }
}
