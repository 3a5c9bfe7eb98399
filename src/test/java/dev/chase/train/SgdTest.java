package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SgdTest {
    @Test
    void followsPyTorchMomentumAndWeightDecayRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(2)).build();
            p.setInitializer((mgr, shape, type) -> mgr.create(new float[] {1f, -2f}));
            p.initialize(m, DataType.FLOAT32);
            Sgd sgd = new Sgd(m, 0.9, 0.1);
            float[] w = {1f, -2f};
            float[] buf = {0f, 0f};
            float[][] grads = {{0.5f, 1f}, {-1f, 0.25f}, {0.2f, 0.2f}};
            double[] lrs = {0.1, 0.05, 0.01};
            for (int s = 0; s < grads.length; s++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    // d/dw sum(w * g) = g
                    gc.backward(p.getArray().mul(m.create(grads[s])).sum());
                }
                sgd.step(Map.of("w", p), lrs[s]);
                for (int i = 0; i < 2; i++) {
                    buf[i] = 0.9f * buf[i] + grads[s][i] + 0.1f * w[i];
                    w[i] -= (float) lrs[s] * buf[i];
                }
                float[] actual = p.getArray().toFloatArray();
                assertThat(actual[0]).isCloseTo(w[0], within(1e-6f));
                assertThat(actual[1]).isCloseTo(w[1], within(1e-6f));
                try (NDArray g = p.getArray().getGradient()) {
                    assertThat(g.toFloatArray()).containsExactly(0f, 0f);
                }
            }
            assertThat(sgd.buffer("w").toFloatArray()[0]).isCloseTo(buf[0], within(1e-6f));
        }
    }
}
