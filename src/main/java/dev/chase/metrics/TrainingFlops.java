package dev.chase.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.model.NetSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Theoretical training FLOPs of a run (algorithm §7.2, the RigL convention) against dense training of
 * the same length. A step with forward cost f (FLOPs per image) costs 3·f per image: the forward
 * pass and twice as much for the backward pass (gradients of the activations and of the weights).
 * A sparse step has f = f_sparse, the cost of its non-zero weights. A step that grows weights by
 * gradient (RigL, MEST, Chase) needs the dense weight gradient, so it costs 2·f_sparse + f_dense
 * instead, where f_dense is the dense cost of the live architecture (the channels Chase has
 * removed are excluded from growth, so their gradient is not needed). Random growth (SET) and
 * static masks need no dense gradient.
 *
 * <p>The trajectory is given as intervals of steps over which masks and widths count as constant;
 * how well this follows the real run is up to whoever cuts the intervals.
 */
public final class TrainingFlops {

    private TrainingFlops() {}

    /**
     * Steps that count as having the same masks.
     *
     * @param steps optimizer steps in the interval
     * @param gradientSteps how many of them grow weights by dense gradient
     * @param nonZeros non-zero weights per conv and linear layer during the interval
     * @param widths live width of every channel group that lost channels (empty if none)
     */
    public record Interval(long steps, long gradientSteps, Map<String, Long> nonZeros, Map<String, Integer> widths) {
        public Interval {
            if (steps < 0 || gradientSteps < 0 || gradientSteps > steps) {
                throw new IllegalArgumentException("an interval needs 0 <= gradient steps <= steps, got " + gradientSteps
                        + " of " + steps);
            }
            nonZeros = Map.copyOf(nonZeros);
            widths = Map.copyOf(widths);
        }
    }

    /**
     * Training FLOPs of a whole run.
     *
     * @param steps optimizer steps
     * @param gradientSteps steps that grew weights by dense gradient
     * @param imagesPerStep images per step (the batch size)
     * @param dense FLOPs of dense training of the same length: 3·f_dense·images
     * @param sparse FLOPs of the run's trajectory
     * @param fraction sparse / dense
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Result(long steps, long gradientSteps, long imagesPerStep, double dense, double sparse, double fraction) {}

    /**
     * Sums the cost of every interval.
     *
     * @param spec the architecture as the run started it (full width)
     */
    public static Result of(NetSpec spec, List<Interval> intervals, long imagesPerStep) {
        if (imagesPerStep <= 0) {
            throw new IllegalArgumentException("images per step must be positive, got " + imagesPerStep);
        }
        long fullDense = FlopCounter.dense(spec);
        Map<Map<String, Integer>, NetSpec> liveSpecs = new HashMap<>();
        long steps = 0;
        long gradientSteps = 0;
        double sparse = 0;
        for (Interval i : intervals) {
            NetSpec live = liveSpecs.computeIfAbsent(i.widths(), w -> w.isEmpty() ? spec : spec.withGroupWidths(w));
            double fSparse = FlopCounter.sparse(live, i.nonZeros());
            double fLiveDense = live == spec ? fullDense : FlopCounter.dense(live);
            sparse += 3 * fSparse * i.steps() + (fLiveDense - fSparse) * i.gradientSteps();
            steps += i.steps();
            gradientSteps += i.gradientSteps();
        }
        double dense = 3.0 * fullDense * steps * imagesPerStep;
        sparse *= imagesPerStep;
        return new Result(steps, gradientSteps, imagesPerStep, dense, sparse, dense > 0 ? sparse / dense : 0);
    }
}
