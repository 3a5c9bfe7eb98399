package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Plumbing shared by the prune and grow rules: eligibility masks, global and per-tensor selection. */
final class Rules {
    private Rules() {}

    /** Per-tensor scores and eligibility for one rule, computed lazily inside a native scope. */
    interface Candidates {
        /** Score tensor of {@code name} (any new or existing array). */
        NDArray score(String name);

        /** Boolean eligibility of {@code name}. */
        NDArray eligible(String name);
    }

    static NDArray required(Map<String, NDArray> tensors, String what, String name) {
        NDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no " + what + " for masked tensor " + name);
        }
        return t;
    }

    /** Active positions M = 1. */
    static NDArray active(MaskSet masks, String name) {
        return masks.mask(name).neq(0);
    }

    /** Inactive positions M = 0 that the optional structural mask allows. */
    static NDArray inactiveAllowed(MaskSet masks, Map<String, NDArray> allowed, String name) {
        NDArray m = masks.mask(name);
        NDArray inactive = m.eq(0);
        NDArray f = allowed == null ? null : allowed.get(name);
        return f == null ? inactive : inactive.logicalAnd(Selection.asBoolean(f, m));
    }

    static MaskChange global(MaskSet masks, Candidates candidates, long k, boolean largest) {
        NDManager out = masks.manager().newSubManager();
        List<String> names = masks.names();
        Selection.Selected selected;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> scores = new ArrayList<>(names.size());
            List<NDArray> eligible = new ArrayList<>(names.size());
            for (String name : names) {
                scores.add(candidates.score(name));
                eligible.add(candidates.eligible(name));
            }
            selected = largest ? Selection.largest(out, scores, eligible, k) : Selection.smallest(out, scores, eligible, k);
        }
        return MaskChange.of(out, names, selected);
    }

    static MaskChange perTensor(MaskSet masks, Candidates candidates, Map<String, Long> k, boolean largest) {
        for (String name : k.keySet()) {
            masks.mask(name);
        }
        NDManager out = masks.manager().newSubManager();
        Map<String, NDArray> positions = new LinkedHashMap<>();
        for (String name : masks.names()) {
            long kl = k.getOrDefault(name, 0L);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                List<NDArray> score = List.of(candidates.score(name));
                List<NDArray> eligible = List.of(candidates.eligible(name));
                Selection.Selected s = largest ? Selection.largest(out, score, eligible, kl)
                        : Selection.smallest(out, score, eligible, kl);
                positions.put(name, s.positions().get(0));
            }
        }
        return new MaskChange(out, positions);
    }

    static Candidates candidates(Function<String, NDArray> score, Function<String, NDArray> eligible) {
        return new Candidates() {
            @Override
            public NDArray score(String name) {
                return score.apply(name);
            }

            @Override
            public NDArray eligible(String name) {
                return eligible.apply(name);
            }
        };
    }
}
