package dev.chase.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint codec of the training state: names, order, round trip, refusals. */
class TrainingStateTest {

    @Test
    void roundTripsEveryPartUnderItsName() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            momentum.put("01Conv2d_weight", m.ones(new Shape(2, 3)));
            Map<String, boolean[]> alive = new LinkedHashMap<>();
            alive.put("features.0", new boolean[] {true, false, true});
            TrainingState state = new TrainingState(momentum, new TrainingState.Masks(Map.of("features.0", m.zeros(new Shape(2, 3))),
                    Map.of("features.0", m.ones(new Shape(2, 3))), 7, alive));

            Map<String, NDArray> tensors = state.toTensors(m);
            assertThat(tensors.keySet()).containsExactly("momentum/01Conv2d_weight", "mask/features.0", "ever-active/features.0",
                    "ever-active-removed", "alive/features.0");
            TrainingState back = TrainingState.fromTensors(tensors);
            assertThat(back.momentum()).containsOnlyKeys("01Conv2d_weight");
            assertThat(back.sparse().masks()).containsOnlyKeys("features.0");
            assertThat(back.sparse().everActive()).containsOnlyKeys("features.0");
            assertThat(back.sparse().everActiveRemoved()).isEqualTo(7);
            assertThat(back.sparse().alive().get("features.0")).containsExactly(true, false, true);
        }
    }

    @Test
    void aDenseRunHasNoSparsePartAndNoCountUnlessChannelsWereSlicedAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingState dense = TrainingState.fromTensors(Map.of("momentum/a", m.ones(new Shape(1))));
            assertThat(dense.sparse()).isNull();
            assertThat(dense.toTensors(m)).containsOnlyKeys("momentum/a");
            TrainingState sparse = new TrainingState(Map.of(),
                    new TrainingState.Masks(Map.of("w", m.ones(new Shape(1))), Map.of("w", m.ones(new Shape(1))), 0, Map.of()));
            assertThat(sparse.toTensors(m)).containsOnlyKeys("mask/w", "ever-active/w");
            assertThat(TrainingState.fromTensors(sparse.toTensors(m)).sparse().everActiveRemoved()).isZero();
        }
    }

    @Test
    void anAliveVectorMustBeAVector() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> TrainingState.fromTensors(Map.of("mask/w", m.ones(new Shape(1)), "alive/g", m.ones(new Shape(2, 2)))))
                    .isInstanceOf(ChaseException.class).hasMessage("the checkpoint's alive vector g has shape (2, 2), not a vector");
        }
    }
}
