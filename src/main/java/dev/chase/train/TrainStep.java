package dev.chase.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimisation step: forward in training mode, loss, backward, and (if the loss is finite)
 * the optimizer update. Shared by training runs and the training-step benchmark, so what is
 * benchmarked is what trains.
 */
public final class TrainStep {
    /** Outcome of a step; the parameters were updated only if {@code loss} is finite. */
    public record Result(float loss, long correct) {
        public boolean finite() {
            return Float.isFinite(loss);
        }
    }

    private final Block block;
    private final Map<String, Parameter> parameters;
    private final Sgd sgd;
    private final CrossEntropy loss;
    private final StepHook hook;

    /**
     * @param hook work around the optimizer update (sparse training), or null
     */
    public TrainStep(Block block, Sgd sgd, CrossEntropy loss, StepHook hook) {
        this.block = block;
        this.sgd = sgd;
        this.loss = loss;
        this.hook = hook;
        this.parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
    }

    /**
     * Runs step {@code t} (1-based) on a batch; intermediate arrays go to {@code batchManager},
     * which the caller closes.
     */
    public Result run(NDManager batchManager, NDArray images, NDArray labels, double lr, long t) {
        float value;
        long correct;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = block.forward(new ParameterStore(batchManager, false), new NDList(images), true).singletonOrThrow();
            NDArray l = loss.loss(logits, labels);
            collector.backward(l);
            value = l.getFloat();
            correct = CrossEntropy.correct(logits, labels);
        }
        if (Float.isFinite(value)) {
            if (hook != null) {
                hook.beforeUpdate(t);
            }
            sgd.step(parameters, lr);
            if (hook != null) {
                hook.afterUpdate(t);
            }
        }
        return new Result(value, correct);
    }
}
