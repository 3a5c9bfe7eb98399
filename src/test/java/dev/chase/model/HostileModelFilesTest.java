package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.chase.Hostile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged network specs and saved models: each is read correctly or refused with a
 * ChaseException; a spec that asks for more weights than its parameter file holds allocates
 * nothing.
 */
class HostileModelFilesTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path tmp;

    private static List<String> specs() {
        return List.of(NetSpecs.toJson(NetSpecs.named("vgg11", 3, 10, 0.0625)),
                NetSpecs.toJson(NetSpecs.named("resnet20", 1, 10, 0.25)),
                NetSpecs.toJson(NetSpecs.named("resnet50", 3, 100, 0.0625)),
                NetSpecs.toJson(NetSpecs.named("vgg11", 3, 10, 0.0625).withGroupWidths(Map.of("features.4", 3))));
    }

    @Test
    void netSpecJsonIsParsedOrRefused() {
        List<String> samples = specs();
        Hostile.Tally tally = new Hostile.Tally("NetSpec JSON");
        Hostile.forAll("netspec", 300, r -> {
            String json = Hostile.text(r, samples);
            Network net = Hostile.read(tally, json.getBytes(StandardCharsets.UTF_8), 5, 64 * MB,
                    () -> Network.build(NetSpecs.fromJson(json)));
            if (net != null) {
                assertThat(NetSpecs.fromJson(NetSpecs.toJson(net.spec()))).isEqualTo(net.spec());
            }
        });
        tally.assertBothOutcomes();
    }

    @Test
    void savedModelsAreLoadedOrRefused() throws IOException {
        Path good = tmp.resolve("good");
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Network net = Network.build(NetSpecs.named("vgg11", 3, 10, 0.0625).withGroupWidths(Map.of("features.4", 3)));
            net.initialize(m);
            SavedModel.save(good, net);
        }
        String spec = Files.readString(good.resolve("netspec.json"));
        byte[] params = Files.readAllBytes(good.resolve("parameters.bin"));
        List<String> specSamples = List.of(spec, NetSpecs.toJson(NetSpecs.named("vgg11", 3, 10, 0.0625)));
        // hot spots: every tensor header in DJL's stream, and the block metadata at the start
        int[] hot = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(0, 16, 40),
                java.util.Arrays.stream(Hostile.occurrences(params, "NDAR"))).toArray();
        Hostile.Tally tally = new Hostile.Tally("saved models (netspec.json + parameters.bin)");
        Path dir = tmp.resolve("model");
        Hostile.forAll("saved-model", 200, r -> {
            Files.createDirectories(dir);
            boolean damageSpec = r.nextInt(3) == 0;
            String s = damageSpec ? Hostile.text(r, specSamples) : spec;
            byte[] p = damageSpec && r.nextBoolean() ? params : Hostile.bytes(r, 2000, List.of(params), hot);
            Files.writeString(dir.resolve("netspec.json"), s);
            Files.write(dir.resolve("parameters.bin"), p);
            try (NDManager m = NDManager.newBaseManager()) {
                Network loaded = Hostile.read(tally, p, 10, 64 * MB + 16L * p.length, () -> SavedModel.load(dir, m));
                if (loaded != null) {
                    assertThat(loaded.block().getParameters().size()).isPositive();
                }
            }
        });
        tally.assertBothOutcomes();
    }

    @Test
    void aSpecAskingForGigabytesIsRefusedBeforeAllocating() throws IOException {
        Path dir = tmp.resolve("huge");
        Files.createDirectories(dir);
        // widths of 65,536 make a 3x3 conv of 38 G weights; the 100-byte parameter file cannot hold them
        NetSpec huge = new VggSpec(3, 10, 32, WeightInit.VGG_CIFAR, List.of(List.of(65_536, 65_536)));
        Files.writeString(dir.resolve("netspec.json"), NetSpecs.toJson(huge));
        Files.write(dir.resolve("parameters.bin"), new byte[100]);
        Hostile.Tally tally = new Hostile.Tally("huge spec");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat((Object) Hostile.read(tally, new byte[100], 5, 16 * MB, () -> SavedModel.load(dir, m))).isNull();
        }
    }
}
