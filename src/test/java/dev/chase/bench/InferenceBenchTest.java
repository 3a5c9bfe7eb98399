package dev.chase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceBenchTest {

    @Test
    void aResultIsNoisyWhenTheLargerSpreadExceedsTheEffect() {
        Samples base = Samples.of(List.of(9.0, 10.0, 11.0)); // spread 11/9 = 1.22
        // half the time: effect |1 - 5/10| = 0.5 > 0.22
        assertThat(InferenceBench.noisy(base, Samples.of(List.of(4.9, 5.0, 5.1)))).isFalse();
        // 5% faster: effect 0.05 < 0.22
        assertThat(InferenceBench.noisy(base, Samples.of(List.of(9.4, 9.5, 9.6)))).isTrue();
        // a steady baseline does not hide a noisy contender: effect 0.5, its spread 8/2 = 4
        Samples steady = Samples.of(List.of(10.0, 10.0, 10.0));
        assertThat(InferenceBench.noisy(steady, Samples.of(List.of(2.0, 5.0, 8.0)))).isTrue();
    }

    @Test
    void everyNetworkAtEveryBatchSizeAgainstTheFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Network wide = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
            Network narrow = Network.build(NetSpecs.named("resnet20", 3, 10, 0.125));
            wide.initialize(manager);
            narrow.initialize(manager);
            InferenceBench.Report report = InferenceBench.run(
                    List.of(new InferenceBench.Subject("wide", wide, 400), new InferenceBench.Subject("narrow", narrow, 100)),
                    manager, List.of(2, 1), 16, 1, 3);
            assertThat(report.results()).extracting(r -> r.network() + "@" + r.batchSize())
                    .containsExactly("wide@2", "narrow@2", "wide@1", "narrow@1");
            InferenceBench.Result w = report.results().get(0);
            InferenceBench.Result n = report.results().get(1);
            assertThat(w.speedup()).isEqualTo(1.0);
            assertThat(w.noisy()).isFalse();
            assertThat(n.millisPerBatch().count()).isEqualTo(3);
            assertThat(n.speedup()).isEqualTo(w.millisPerBatch().median() / n.millisPerBatch().median());
            assertThat(n.flopsSpeedup()).isEqualTo(4.0);
            assertThat(n.realisation()).isEqualTo(n.speedup() / 4.0);
            assertThat(n.imagesPerSecond()).isEqualTo(2 * 1000.0 / n.millisPerBatch().median());
            assertThat(report.flopsPerImage()).containsEntry("wide", 400L).containsEntry("narrow", 100L);
        }
    }

    @Test
    void refusesEmptyOrNonPositiveSettings() {
        assertThatThrownBy(() -> InferenceBench.run(List.of(), null, List.of(1), 8, 0, 1)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> new InferenceBench.Subject("x", null, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
