package dev.chase.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.chase.ChaseException;
import dev.chase.io.Json;
import dev.chase.sweep.SweepEntry;
import dev.chase.sweep.SweepPlan;
import dev.chase.sweep.SweepSpec;
import dev.chase.sweep.TrainKeys;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RunConfig#from} and {@link RunConfig#toTrainConfig} are inverse on every flat config chase reads or writes. */
class RunConfigMappingTest {

    /** from then toTrainConfig gives the same record and the same config.json bytes; and back again. */
    static void assertRoundTrip(TrainConfig flat) {
        RunConfig typed = RunConfig.from(flat);
        TrainConfig back = typed.toTrainConfig();
        assertThat(back).isEqualTo(flat);
        assertThat(Json.writePretty(back)).isEqualTo(Json.writePretty(flat));
        assertThat(RunConfig.from(back)).isEqualTo(typed);
        assertThat(typed.dstMethod()).isEqualTo(flat.dstMethod());
        // resolving commutes with the mapping (config.json holds the resolved form); a config whose
        // defaults clash with it (density 1 with MEST's p0) fails on resolving in both forms alike
        TrainConfig resolved;
        try {
            resolved = flat.resolved();
        } catch (ChaseException e) {
            assertThatThrownBy(typed::resolved).isInstanceOf(ChaseException.class).hasMessage(e.getMessage());
            return;
        }
        assertThat(typed.resolved().toTrainConfig()).isEqualTo(resolved);
    }

    static List<String> keys() {
        PropertyNamingStrategies.KebabCaseStrategy kebab = new PropertyNamingStrategies.KebabCaseStrategy();
        return Arrays.stream(TrainConfig.class.getRecordComponents()).map(RecordComponent::getName).map(kebab::translate).toList();
    }

    /** The defaults overlaid with a recipe's or sweep entry's key-value pairs, as the command line reads them. */
    static TrainConfig overlay(Map<String, ?> values) {
        List<Object> keysAndValues = new ArrayList<>();
        values.forEach((k, v) -> keysAndValues.addAll(List.of(k, v instanceof JsonNode n ? n : String.valueOf(v))));
        return TrainConfig.defaults().with(keysAndValues.toArray());
    }

    @Test
    void defaultsRoundTripAndAreTheBuildersStart() {
        assertRoundTrip(TrainConfig.defaults());
        assertThat(RunConfig.builder().build().toTrainConfig()).isEqualTo(TrainConfig.defaults());
        for (DstMethod m : DstMethod.values()) {
            TrainConfig c = TrainConfig.defaults().with("method", m.name().toLowerCase(java.util.Locale.ROOT));
            assertRoundTrip(c);
            assertRoundTrip(c.resolved());
        }
    }

    static Stream<Path> recipes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("recipes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void everyRecipeRoundTrips(Path recipe) throws IOException {
        JsonNode root = Json.YAML.readTree(Files.readString(recipe));
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        root.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        assertThat(values).isNotEmpty();
        assertRoundTrip(overlay(values));
    }

    static Stream<Path> sweeps() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("sweeps"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("sweeps")
    void everySweepEntryRoundTrips(Path sweep) {
        SweepSpec spec = SweepSpec.read(sweep, new TrainKeys(keys(), f -> {
            throw new AssertionError("no recipe bases in " + sweep);
        }));
        // the base alone need not be a valid config (density without a method); base + run is
        List<SweepEntry> entries = SweepPlan.expand(spec).entries();
        assertThat(entries).isNotEmpty();
        for (SweepEntry e : entries) {
            assertRoundTrip(overlay(e.config()));
        }
    }

    /** The configs the training tests build (and, resolved, write as config.json). */
    static Stream<TrainConfig> testConfigs() {
        TrainConfig d = TrainConfig.defaults();
        TrainConfig chase = d.with("model", "resnet20", "width", 0.25, "dataset", "synthetic", "epochs", 2, "batch-size", 50,
                "lr", 0.05, "lr-schedule", "cosine", "method", "chase", "update-interval", 10, "channel-interval", 10,
                "channel-sparsity", 0.5, "soft-bound-end", 1, "prune-skip", true, "shrink-during-training", false);
        TrainConfig cost = d.with("model", "vgg11", "width", 0.25, "dataset", "synthetic", "epochs", 1, "batch-size", 50,
                "lr", 0.05, "lr-schedule", "cosine", "method", "chase", "update-interval", 10, "channel-interval", 5,
                "soft-bound-end", 1);
        return Stream.of(
                chase, chase.with("channel-sparsity", 0.0), chase.with("soft-bound-end", 2, "channel-end", 2),
                d.with("model", "resnet20", "width", 0.25, "dataset", "synthetic", "epochs", 2, "batch-size", 50, "lr", 0.05,
                        "lr-schedule", "cosine", "method", "mest", "update-interval", 10, "soft-bound-end", 1),
                d.with("model", "vgg11", "width", 0.25, "dataset", "synthetic", "epochs", 2, "batch-size", 100, "lr", 0.1,
                        "method", "chase", "density", 0.1, "update-interval", 13, "death-rate", 0.05, "soft-bound-end", 2,
                        "channel-sparsity", 0.5, "min-ratio", 0.2, "channel-interval", 26),
                d.with("model", "resnet32", "width", 0.25, "dataset", "synthetic", "epochs", 1, "batch-size", 100, "lr", 0.02,
                        "lr-schedule", "cosine", "method", "chase", "update-interval", 5, "soft-bound-end", 1, "final-phase", false,
                        "channel-interval", 10, "channel-end", 1, "channel-sparsity", 0.5, "prune-skip", true,
                        "shrink-during-training", true),
                cost, cost.with("target-flops", 0.5, "prune-skip", true, "round-to", 8, "shrink-during-training", false),
                cost.with("epochs", 2, "target-latency", 0.6, "latency-table", "/tmp/table.json"), cost.with("target-latency", 0.4),
                d.with("model", "resnet20", "width", 0.25, "dataset", "fashion-mnist", "data-dir", "/tmp/data", "epochs", 3,
                        "batch-size", 25, "lr", 0.05, "method", "rigl", "update-interval", 3),
                d.with("model", "vgg11", "epochs", 2, "method", "set", "update-interval", 3, "scope", "global"),
                d.with("model", "vgg11", "epochs", 2, "method", "static", "distribution", "uniform", "mask-init", "bernoulli"),
                d.with("model", "resnet50-imagenet", "dataset", "imagefolder", "data-dir", "/d", "download", false,
                        "lr-schedule", "cosine", "warmup-epochs", 5.0, "label-smoothing", 0.1, "seed", -3L));
    }

    @ParameterizedTest
    @MethodSource("testConfigs")
    void theTrainingTestsConfigsRoundTripResolvedOrNot(TrainConfig c) {
        assertRoundTrip(c);
        assertRoundTrip(c.resolved());
    }

    @Test
    void randomValidFlatConfigsRoundTrip() {
        Random r = new Random(15);
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            TrainConfig c;
            try {
                c = randomFlat(r);
            } catch (ChaseException invalid) {
                continue;
            }
            assertRoundTrip(c);
            checked++;
        }
        assertThat(checked).isGreaterThan(500);
    }

    private static <T> T pick(Random r, List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    private static TrainConfig randomFlat(Random r) {
        List<Object> kv = new ArrayList<>(List.of("model", pick(r, Model.keys()), "width", pick(r, List.of(0.25, 0.5, 1.0, 4.0)),
                "dataset", pick(r, Dataset.keys()), "epochs", 1 + r.nextInt(200), "batch-size", 1 + r.nextInt(256),
                "lr-schedule", pick(r, List.of("step", "cosine")), "seed", r.nextLong()));
        DstMethod m = pick(r, List.of(DstMethod.values()));
        kv.addAll(List.of("method", m.name().toLowerCase(java.util.Locale.ROOT)));
        Map<String, List<Object>> values = Map.ofEntries(
                Map.entry("density", List.of(0.01, 0.1, 0.5, 1.0)), Map.entry("distribution", List.of("erk", "uniform")),
                Map.entry("mask-init", List.of("exact", "bernoulli")), Map.entry("update-interval", List.of(1, 100, 1000)),
                Map.entry("update-fraction", List.of(0.1, 0.3, 1.0)), Map.entry("update-end", List.of(0.5, 0.75, 1.0)),
                Map.entry("scope", List.of("layer", "global")), Map.entry("death-rate", List.of(0.0, 0.05, 0.5)),
                Map.entry("soft-bound-end", List.of(1, 5, 130)), Map.entry("final-phase", List.of(true, false)),
                Map.entry("channel-sparsity", List.of(0.0, 0.5, 0.9)), Map.entry("min-ratio", List.of(0.1, 0.2, 1.0)),
                Map.entry("channel-interval", List.of(1, 400)), Map.entry("channel-end", List.of(1, 5, 130)),
                Map.entry("channel-score", List.of("umm", "active-mean", "density")),
                Map.entry("channel-schedule", List.of("cubic", "cosine")), Map.entry("prune-skip", List.of(true, false)),
                Map.entry("round-to", List.of(1, 8)), Map.entry("shrink-during-training", List.of(true, false)),
                Map.entry("target-flops", List.of(0.25, 1.0)), Map.entry("target-latency", List.of(0.5, 1.0)),
                Map.entry("latency-table", List.of("t.json")));
        for (String key : m.options()) {
            if (r.nextBoolean()) {
                kv.add(key);
                kv.add(pick(r, values.get(key)));
            }
        }
        if (r.nextInt(4) == 0) {
            kv.addAll(List.of("data-dir", "/data/x", "download", true));
        }
        return TrainConfig.defaults().with(kv.toArray());
    }
}
