package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Channel scores of whole channel groups. A group with one producer (every INTERNAL group) scores
 * its channels with that producer's {@link ChannelScore}. A group with several producers (a
 * residual STREAM in the "prune skip" variant: the stem or shortcut conv plus every block's last
 * conv writing into the same channels) scores channel c with the <b>mean</b> of its producers'
 * scores of c. The mean, rather than the sum or the maximum, keeps a stream's scores on the same
 * scale as single-producer groups (UMM is itself a per-weight mean), so the global ranking neither
 * favours nor penalises a group for the number of convs writing into it.
 *
 * <p>The scores take removed channels into account through the structural masks of the alive
 * vectors: a producer's mask is ANDed with its F ({@link StructuralMasks}) before scoring, so a
 * fresh ranking inside an event (after some input channels were removed upstream) is right even
 * before the unstructured masks have been restricted.
 */
public final class GroupScorer {
    private final ChannelScore score;
    private final Map<String, Long> originalFanIns;

    /**
     * @param score the per-producer channel score
     * @param originalFanIns per producer weight name, I_orig·kh·kw ({@link #originalFanIns(Network)})
     */
    public GroupScorer(ChannelScore score, Map<String, Long> originalFanIns) {
        this.score = Objects.requireNonNull(score, "score");
        this.originalFanIns = Map.copyOf(originalFanIns);
    }

    /** The per-producer score. */
    public ChannelScore score() {
        return score;
    }

    /**
     * Per maskable weight, its per-output-channel size (I·kh·kw or I). This is the original fan-in
     * as long as the network has not been shrunk, which holds whenever channel events run.
     */
    public static Map<String, Long> originalFanIns(Network network) {
        Map<String, Long> fanIns = new LinkedHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            fanIns.put(w.name(), w.shape().size() / w.shape().get(0));
        }
        return fanIns;
    }

    /**
     * ScoreTensors of one group: the mean over its producers of their channel scores.
     *
     * @param producerWeights the producers' weights (same number of output channels)
     * @param producerMasks their masks in the same order (entries or the list may be null)
     * @param originalFanIns their original fan-ins in the same order
     */
    public static double[] mean(ChannelScore score, List<NDArray> producerWeights, List<NDArray> producerMasks,
            List<Long> originalFanIns) {
        if (producerWeights.isEmpty()) {
            throw new IllegalArgumentException("a channel group needs at least one producer");
        }
        if (originalFanIns.size() != producerWeights.size()
                || (producerMasks != null && producerMasks.size() != producerWeights.size())) {
            throw new IllegalArgumentException("producer weights, masks and fan-ins differ in number");
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList each = new NDList(producerWeights.size());
            for (int i = 0; i < producerWeights.size(); i++) {
                NDArray mask = producerMasks == null ? null : producerMasks.get(i);
                each.add(score.score(producerWeights.get(i), mask, originalFanIns.get(i)));
            }
            NDArray mean = each.size() == 1 ? each.get(0) : NDArrays.stack(each).mean(new int[] {0});
            float[] values = mean.toType(DataType.FLOAT32, false).toFloatArray();
            double[] result = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                result[i] = values[i];
            }
            return result;
        }
    }

    /**
     * ScoreTensors of the given groups, in a network state.
     *
     * @param groups the groups to score (usually the prunable ones)
     * @param allGroups every channel group of the network (for the structural masks)
     * @param weights per maskable weight name, the current weight
     * @param masks per maskable weight name, its unstructured mask (missing: active where non-zero)
     * @param alive per group name, the alive vector (missing: fully alive)
     * @return per group name, one score per channel
     */
    public Map<String, double[]> scores(List<ChannelGroup> groups, List<ChannelGroup> allGroups,
            Map<String, NDArray> weights, Map<String, NDArray> masks, Map<String, boolean[]> alive) {
        Map<String, double[]> result = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            weights.forEach((name, w) -> shapes.put(name, w.getShape()));
            NDManager manager = weights.values().iterator().next().getManager();
            Map<String, NDArray> structural = StructuralMasks.of(manager, allGroups, shapes, alive);
            for (ChannelGroup g : groups) {
                NDList ws = new NDList();
                List<NDArray> ms = new ArrayList<>();
                List<Long> fanIns = new ArrayList<>();
                for (String p : g.producers()) {
                    NDArray w = weights.get(p);
                    if (w == null) {
                        throw new IllegalArgumentException("no weight given for producer " + p + " of group "
                                + g.name());
                    }
                    Long fanIn = originalFanIns.get(p);
                    if (fanIn == null) {
                        throw new IllegalArgumentException("no original fan-in for producer " + p);
                    }
                    NDArray m = masks.get(p);
                    NDArray f = structural.get(p);
                    if (f != null) {
                        m = (m == null ? ScoreTensors.activeMask(w, null) : ScoreTensors.activeMask(w, m)).mul(f);
                    }
                    ws.add(w);
                    ms.add(m);
                    fanIns.add(fanIn);
                }
                result.put(g.name(), mean(score, ws, ms, fanIns));
            }
        }
        return result;
    }
}
