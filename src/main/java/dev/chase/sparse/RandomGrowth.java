package dev.chase.sparse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Random growth (SET): switches on g uniformly random inactive positions (M = 0) allowed by
 * the optional structural mask F, globally or with a g per tensor. Each candidate gets a rank
 * from one random permutation, and the g lowest ranks win, so exactly min(g, candidates)
 * positions are grown and every g-subset of candidates is equally likely. Seeded: reseeds the
 * engine's global generator, so the same seed and masks give the same choice.
 */
public final class RandomGrowth {
    private RandomGrowth() {}

    /** Grows exactly min(g, candidates) uniformly random candidates over all tensors. */
    public static MaskChange global(MaskSet masks, Map<String, NDArray> allowed, long g, int seed) {
        List<String> names = masks.names();
        if (names.isEmpty()) {
            return new MaskChange(masks.manager().newSubManager(), Map.of());
        }
        NDManager m = masks.manager();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Engine.getInstance().setRandomSeed(seed);
            NDArray perm = m.randomPermutation(masks.size());
            long[] splits = new long[names.size() - 1];
            long offset = 0;
            for (int i = 0; i < splits.length; i++) {
                offset += masks.shape(names.get(i)).size();
                splits[i] = offset;
            }
            NDList pieces = splits.length == 0 ? new NDList(perm) : perm.split(splits);
            List<NDArray> ranks = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                ranks.add(pieces.get(i).reshape(masks.shape(names.get(i))));
            }
            return Rules.global(masks, Rules.candidates(name -> ranks.get(names.indexOf(name)),
                    name -> Rules.inactiveAllowed(masks, allowed, name)), g, false);
        }
    }

    /** Grows, in each tensor, exactly min(g_l, candidates_l) uniformly random candidates (absent = 0). */
    public static MaskChange perTensor(MaskSet masks, Map<String, NDArray> allowed, Map<String, Long> g, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return Rules.perTensor(masks, Rules.candidates(name -> masks.manager().randomPermutation(
                masks.shape(name).size()).reshape(masks.shape(name)),
                name -> Rules.inactiveAllowed(masks, allowed, name)), g, false);
    }
}
