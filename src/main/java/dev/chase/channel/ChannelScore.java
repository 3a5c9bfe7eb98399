package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import dev.chase.ChaseException;
import java.util.List;
import java.util.Locale;

/**
 * How much one output channel of a producer weight is worth keeping (algorithm §6.2). A score is
 * computed per output channel (axis 0) of a conv weight (O, I, kh, kw) or linear weight (O, I),
 * with native tensor ops; a <b>lower score means the channel is pruned first</b>. Selectable by
 * name ({@link #named}): {@code umm} (the paper's Unmasked Mean Magnitude, the default), {@code
 * active-mean} and {@code density}.
 *
 * <p>The weight may already be masked (masked weights are 0). The mask, when given, is a 0/1 or
 * boolean tensor of the weight's shape; {@code null} means "active where the weight is non-zero".
 * The original fan-in is I_orig·kh·kw of the layer before any channel was removed upstream: during
 * training the tensor keeps its original shape, so it is simply the per-channel size of the
 * unshrunk weight ({@link GroupScorer#originalFanIns}).
 */
public interface ChannelScore {

    /** The name this score is selected by. */
    String name();

    /**
     * Per-output-channel scores of one producer weight.
     *
     * @param weight the producer's weight, output channels on axis 0
     * @param mask its unstructured (and/or structural) mask, or null
     * @param originalFanIn I_orig·kh·kw (positive)
     * @return a 1-D float32 tensor of length O, attached to the weight's manager
     */
    NDArray score(NDArray weight, NDArray mask, long originalFanIn);

    /** The names {@link #named} accepts. */
    static List<String> names() {
        return List.of(UmmScore.NAME, ActiveMeanScore.NAME, DensityScore.NAME);
    }

    /** The score with this name (case-insensitive); a {@link ChaseException} for an unknown name. */
    static ChannelScore named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case UmmScore.NAME -> new UmmScore();
            case ActiveMeanScore.NAME -> new ActiveMeanScore();
            case DensityScore.NAME -> new DensityScore();
            default -> throw new ChaseException("unknown channel score '" + name + "'; choose one of "
                    + String.join(", ", names()));
        };
    }
}
