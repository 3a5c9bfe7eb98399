package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Magnitude pruning: removes the active weights (M = 1) with the smallest |W|, exactly k of
 * them, either with one threshold over all masked tensors (the Chase/GPE "global_magnitude"
 * rule, algorithm §5.2) or with a k per tensor. Only active positions are candidates, so pruning can
 * never switch an inactive position on, and a zero-valued active weight is simply the first to
 * go (this guards the reference's τ = 0 bug, algorithm §5.2 / §10 #3b). Ties: lower (layer, flat
 * index) first. The masks are not modified: apply the returned change with {@link MaskSet#remove}.
 */
public final class MagnitudePruning {
    private MagnitudePruning() {}

    /** Removes exactly min(k, active) active weights with the smallest |W| over all tensors. */
    public static MaskChange global(MaskSet masks, Map<String, NDArray> weights, long k) {
        return Rules.global(masks, candidates(masks, weights), k, false);
    }

    /** Removes, in each tensor, exactly min(k_l, active_l) active weights with the smallest |W| (absent = 0). */
    public static MaskChange perTensor(MaskSet masks, Map<String, NDArray> weights, Map<String, Long> k) {
        return Rules.perTensor(masks, candidates(masks, weights), k, false);
    }

    private static Rules.Candidates candidates(MaskSet masks, Map<String, NDArray> weights) {
        return Rules.candidates(name -> Rules.required(weights, "weight", name).abs(), name -> Rules.active(masks, name));
    }
}
