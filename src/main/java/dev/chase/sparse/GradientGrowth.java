package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Gradient growth (RigL; the Chase/GPE "global_gradients" rule, algorithm §5.3): switches on the
 * inactive positions (M = 0) with the largest |dL/dW|, exactly g of them, globally or with a g
 * per tensor. Candidates must be allowed by the optional structural mask F (dead channels
 * never come back) and have a non-zero gradient: as in the reference, a position whose gradient
 * is exactly 0 carries no signal and is never grown, so fewer than g may be grown (the change
 * reports how many). Ties: lower (layer, flat index) first. The gradient must be the dense one
 * (masked positions included). Apply with {@link MaskSet#add}, then {@link MaskChange#zeroIn}
 * the weights and momentum.
 */
public final class GradientGrowth {
    private GradientGrowth() {}

    /**
     * Grows exactly min(g, candidates) positions with the largest |grad| over all tensors.
     *
     * @param allowed structural masks F by tensor name (boolean or 0/1); null or a missing name
     *     means no restriction
     */
    public static MaskChange global(MaskSet masks, Map<String, NDArray> gradients, Map<String, NDArray> allowed,
            long g) {
        return Rules.global(masks, candidates(masks, gradients, allowed), g, true);
    }

    /** Grows, in each tensor, exactly min(g_l, candidates_l) positions with the largest |grad| (absent = 0). */
    public static MaskChange perTensor(MaskSet masks, Map<String, NDArray> gradients, Map<String, NDArray> allowed,
            Map<String, Long> g) {
        return Rules.perTensor(masks, candidates(masks, gradients, allowed), g, true);
    }

    private static Rules.Candidates candidates(MaskSet masks, Map<String, NDArray> gradients, Map<String, NDArray> allowed) {
        return Rules.candidates(name -> Rules.required(gradients, "gradient", name).abs(),
                name -> Rules.inactiveAllowed(masks, allowed, name)
                        .logicalAnd(Rules.required(gradients, "gradient", name).neq(0)));
    }
}
