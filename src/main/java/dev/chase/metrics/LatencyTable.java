package dev.chase.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Locale;

/**
 * Measured forward times of every conv and linear layer of an architecture at a few widths (the
 * JSON form of a latency profile, written by {@code chase profile-latency}). Each layer was timed
 * at its real input size, in eval mode without autograd, together with the shape-keeping and
 * pooling layers that follow it up to the next conv or linear layer (BatchNorm, ReLU, max-pool,
 * the residual addition and ReLU that close a block), so the sum over layers predicts the whole
 * forward pass. {@link LatencyModel} interpolates it.
 *
 * @param format {@link #FORMAT}
 * @param key what was measured
 * @param warmup untimed rounds per layer
 * @param repeats timed rounds per layer; each entry is their median
 * @param fractions the width fractions of the grid
 * @param layers per conv and linear layer, in forward order
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record LatencyTable(int format, Key key, int warmup, int repeats, List<Double> fractions, List<Entry> layers) {
    /** The format this build writes and reads. */
    public static final int FORMAT = 1;

    public LatencyTable {
        fractions = List.copyOf(fractions);
        layers = List.copyOf(layers);
    }

    /**
     * What a table is for: the architecture (model name, width multiplier, image channels,
     * classes, input side) and the conditions of the timing (batch size, engine threads).
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Key(String model, double width, int inChannels, int classes, int inputSize, int batchSize, int threads) {

        /** A file name made of the key, for a cache folder. */
        public String fileName() {
            return String.format(Locale.ROOT, "%s-w%s-c%d-k%d-s%d-b%d-t%d.json", model, width, inChannels, classes, inputSize,
                    batchSize, threads);
        }

        /** Whether a table with this key describes the same architecture as {@code other} (timing conditions aside). */
        public boolean sameArchitecture(Key other) {
            return model.equals(other.model) && Double.compare(width, other.width) == 0 && inChannels == other.inChannels
                    && classes == other.classes && inputSize == other.inputSize;
        }
    }

    /**
     * One layer's grid of timings.
     *
     * @param name the layer's name
     * @param in its input channels in the full architecture
     * @param out its output channels in the full architecture
     * @param inputSide the side of its input activation
     * @param inGrid the input channel counts timed, increasing (one value if the input width never changes)
     * @param outGrid the output channel counts timed, increasing
     * @param millis millis[i][j]: median milliseconds per batch at (inGrid[i], outGrid[j])
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Entry(String name, int in, int out, int inputSide, int[] inGrid, int[] outGrid, double[][] millis) {}

    /** The intra-op threads of the engine: its {@code ai.djl.pytorch.num_threads} setting, else every core. */
    public static int engineThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }
}
