package dev.chase.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.data.DataCatalog;
import dev.chase.model.NetSpecs;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed config refuses what the flat one refuses, with the same message, and its types say which method uses which option. */
class RunConfigValidationTest {

    private static Arguments refused(Object[] flatKeysAndValues, ThrowingCallable typed) {
        return Arguments.of(String.join(" ", Arrays.stream(flatKeysAndValues).map(String::valueOf).toList()), flatKeysAndValues, typed);
    }

    private static Object[] kv(Object... keysAndValues) {
        return keysAndValues;
    }

    private static RunConfig.Builder b() {
        return RunConfig.builder();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused(kv("width", 0.0), () -> b().width(0).build()),
                refused(kv("width", 4.5), () -> b().model(Model.VGG11, 4.5).build()),
                refused(kv("epochs", 0), () -> b().epochs(0).build()),
                refused(kv("batch-size", 0), () -> b().batchSize(0).build()),
                refused(kv("eval-batch-size", -1), () -> b().evalBatchSize(-1).build()),
                refused(kv("lr", 0.0), () -> b().lr(0).build()),
                refused(kv("lr", Double.POSITIVE_INFINITY), () -> b().lr(Double.POSITIVE_INFINITY).build()),
                refused(kv("momentum", 1.0), () -> b().momentum(1).build()),
                refused(kv("weight-decay", -1e-4), () -> b().weightDecay(-1e-4).build()),
                refused(kv("lr-schedule", "cosine", "warmup-epochs", 160.0), () -> b().cosine(160).build()),
                refused(kv("label-smoothing", 1.0), () -> b().labelSmoothing(1).build()),
                refused(kv("lr-schedule", "linear"), () -> Optimisation.Schedule.parse("linear")),
                refused(kv("method", "static", "density", 0.0), () -> Methods.staticMask().density(0)),
                refused(kv("method", "rigl", "density", 1.5), () -> Methods.rigl().density(1.5)),
                refused(kv("method", "rigl", "distribution", "ERK"), () -> Sparsity.Distribution.parse("ERK")),
                refused(kv("method", "set", "mask-init", "random"), () -> Sparsity.MaskInit.parse("random")),
                refused(kv("method", "set", "update-interval", 0), () -> Methods.set().updateInterval(0)),
                refused(kv("method", "rigl", "update-fraction", 0.0), () -> Methods.rigl().updateFraction(0)),
                refused(kv("method", "rigl", "update-end", 1.5), () -> Methods.rigl().updateEnd(1.5)),
                refused(kv("method", "rigl", "scope", "net"), () -> PruneAndRegrow.Scope.parse("net")),
                refused(kv("method", "mest", "update-interval", -2), () -> Methods.mest().updateInterval(-2)),
                refused(kv("method", "mest", "death-rate", -0.1), () -> Methods.mest().deathRate(-0.1)),
                refused(kv("method", "mest", "density", 0.99, "death-rate", 0.05), () -> Methods.mest().density(0.99).deathRate(0.05)),
                refused(kv("method", "chase", "death-rate", 0.5, "density", 0.6), () -> Methods.chase().deathRate(0.5).density(0.6)),
                refused(kv("method", "mest", "soft-bound-end", 0), () -> b().method(Methods.mest().softBoundEnd(0)).build()),
                refused(kv("epochs", 10, "method", "chase", "soft-bound-end", 11),
                        () -> b().epochs(10).method(Methods.chase().softBoundEnd(11)).build()),
                refused(kv("method", "chase", "channel-sparsity", 1.0), () -> Channels.sparsity(1)),
                refused(kv("method", "chase", "channel-sparsity", -0.1), () -> Methods.chase(Channels.sparsity(-0.1))),
                refused(kv("method", "chase", "min-ratio", 0.0), () -> Channels.defaults().minRatio(0)),
                refused(kv("method", "chase", "channel-interval", 0), () -> Channels.defaults().interval(0)),
                refused(kv("method", "chase", "channel-end", 0), () -> b().method(Methods.chase(Channels.defaults().end(0))).build()),
                refused(kv("method", "chase", "channel-end", 161), () -> b().method(Methods.chase(Channels.defaults().end(161))).build()),
                refused(kv("method", "chase", "channel-score", "l1"), () -> Channels.Score.parse("l1")),
                refused(kv("method", "chase", "channel-schedule", "linear"), () -> Channels.Schedule.parse("linear")),
                refused(kv("method", "chase", "round-to", 0), () -> Channels.defaults().roundTo(0)),
                refused(kv("method", "chase", "target-flops", 0.0), () -> Channels.flops(0)),
                refused(kv("method", "chase", "target-latency", 1.5), () -> Channels.latency(1.5, "t.json")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatTheFlatConfigRefusesWithItsMessage(String name, Object[] flat, ThrowingCallable typed) {
        Throwable expected = catchChase(() -> TrainConfig.defaults().with(flat));
        assertThatThrownBy(typed).isInstanceOf(ChaseException.class).hasMessage(expected.getMessage());
    }

    private static Throwable catchChase(Runnable r) {
        try {
            r.run();
        } catch (ChaseException e) {
            return e;
        }
        throw new AssertionError("the flat config accepted it");
    }

    @Test
    void unknownModelAndDatasetNamesAreRefusedByTheFlatConfigWithTheMessagesTrainingGives() {
        assertThatThrownBy(() -> Model.parse("resnet19")).hasMessage(
                catchChase(() -> NetSpecs.named("resnet19", 3, 10, 1)).getMessage());
        assertThatThrownBy(() -> Dataset.parse("CIFAR10")).hasMessage(
                catchChase(() -> DataCatalog.open("CIFAR10", null, false)).getMessage());
        assertThatThrownBy(() -> TrainConfig.defaults().with("model", "resnet19"))
                .isInstanceOf(ChaseException.class).hasMessageContaining("unknown model 'resnet19'");
        assertThatThrownBy(() -> TrainConfig.defaults().with("dataset", "CIFAR10"))
                .isInstanceOf(ChaseException.class).hasMessageStartingWith("unknown dataset 'CIFAR10'");
    }

    @Test
    void namesAreTheCatalogsNames() {
        assertThat(Model.keys()).isEqualTo(NetSpecs.names());
        assertThat(Dataset.keys()).isEqualTo(DataCatalog.names());
        assertThat(Channels.Score.ACTIVE_MEAN.key()).isEqualTo("active-mean");
    }

    @Test
    void modelAndScheduleNamesAreReadAsTrainingReadsThemAndComeBackCanonical() {
        TrainConfig flat = TrainConfig.defaults().with("model", " ResNet20", "lr-schedule", "Cosine ");
        RunConfig typed = RunConfig.from(flat);
        assertThat(typed.model().name()).isEqualTo(Model.RESNET20);
        assertThat(typed.optimisation().schedule()).isEqualTo(Optimisation.Schedule.COSINE);
        assertThat(typed.toTrainConfig()).isEqualTo(flat.with("model", "resnet20", "lr-schedule", "cosine"));
    }

    /** The flat keys a typed config sets. */
    private static Set<String> setKeys(RunConfig c) {
        var tree = dev.chase.io.Json.MAPPER.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(c.toTrainConfig());
        Set<String> keys = new HashSet<>();
        tree.fieldNames().forEachRemaining(keys::add);
        keys.removeAll(dev.chase.io.Json.MAPPER.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(TrainConfig.defaults())
                .properties().stream().map(java.util.Map.Entry::getKey).toList());
        return keys;
    }

    @Test
    void whichOptionsAMethodUsesFollowsFromItsType() {
        Channels all = Channels.defaults().minRatio(0.2).interval(4).end(2).score(Channels.Score.UMM)
                .schedule(Channels.Schedule.CUBIC).pruneSkip(false).roundTo(1).shrinkDuringTraining(true);
        Sparsity sp = Sparsity.DEFAULT.density(0.1).distribution(Sparsity.Distribution.ERK).maskInit(Sparsity.MaskInit.EXACT);
        SoftBound mest = Methods.mest().sparsity(sp).updateInterval(10).deathRate(0.05).softBoundEnd(2).finalPhase(true);
        PruneAndRegrow prr = Methods.rigl().sparsity(sp).updateInterval(10).updateFraction(0.3).updateEnd(0.75)
                .scope(PruneAndRegrow.Scope.LAYER);
        List<List<MethodConfig>> everyOption = List.of(
                List.of(Methods.dense()),
                List.of(new Static(sp)),
                List.of(PruneAndRegrow.of(PruneAndRegrow.Growth.SET).sparsity(sp).updateInterval(10).updateFraction(0.3)
                        .updateEnd(0.75).scope(PruneAndRegrow.Scope.GLOBAL)),
                List.of(prr),
                List.of(mest),
                List.of(mest.channels(all.budget(new Channels.ChannelCount(0.5))), mest.channels(all.budget(new Channels.Flops(0.5))),
                        mest.channels(all.budget(new Channels.Latency(0.5, "t.json")))));
        for (List<MethodConfig> variants : everyOption) {
            DstMethod m = variants.get(0).dstMethod();
            Set<String> keys = new HashSet<>();
            for (MethodConfig v : variants) {
                assertThat(v.dstMethod()).isEqualTo(m);
                keys.addAll(setKeys(RunConfig.builder().epochs(2).method(v).build()));
            }
            assertThat(keys).as(m.name()).isEqualTo(new HashSet<>(m.options()));
        }
        assertThat(Methods.chase().dstMethod()).isEqualTo(DstMethod.CHASE);
        assertThat(Methods.chase().channels(null).dstMethod()).isEqualTo(DstMethod.MEST);
        assertThat(DstMethod.names()).containsExactly(Arrays.stream(DstMethod.values())
                .map(d -> d.name().toLowerCase(Locale.ROOT)).toArray(String[]::new));
    }

    @Test
    void theBuilderReadsAsTheCommandLine() {
        RunConfig c = RunConfig.builder().model(Model.RESNET20, 0.5).data(Dataset.SYNTHETIC).epochs(5).batchSize(50).cosine(1)
                .seed(7).method(Methods.chase(Channels.flops(0.5).pruneSkip(true).interval(15)).density(0.05).updateInterval(15))
                .build();
        assertThat(c.toTrainConfig()).isEqualTo(TrainConfig.defaults().with("model", "resnet20", "width", 0.5, "dataset", "synthetic",
                "epochs", 5, "batch-size", 50, "lr-schedule", "cosine", "warmup-epochs", 1.0, "seed", 7, "method", "chase",
                "density", 0.05, "update-interval", 15, "target-flops", 0.5, "prune-skip", true, "channel-interval", 15));
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.resolved().toTrainConfig()).isEqualTo(c.toTrainConfig().resolved());
        assertThat(((SoftBound) c.resolved().method()).channels().budget()).isEqualTo(new Channels.Flops(0.5));
    }

    @Test
    void resolvedSetsEveryOptionOfTheMethod() {
        for (DstMethod m : DstMethod.values()) {
            RunConfig r = RunConfig.from(TrainConfig.defaults().with("method", m.name().toLowerCase(Locale.ROOT))).resolved();
            assertThat(setKeys(r)).as(m.name()).containsExactlyInAnyOrderElementsOf(m.options().stream()
                    .filter(k -> !List.of("target-flops", "target-latency", "latency-table").contains(k)).toList());
        }
        RunConfig flops = RunConfig.builder().method(Methods.chase(Channels.flops(0.4))).build().resolved();
        assertThat(((SoftBound) flops.method()).channels().budget()).isEqualTo(new Channels.Flops(0.4));
        assertThat(((SoftBound) flops.method()).channels().minRatio()).isEqualTo(0.2);
    }
}
