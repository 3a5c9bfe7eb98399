package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact-count selection of the k smallest or k largest scores among eligible entries of one or
 * several tensors, with one threshold over all of them (algorithm §10 #3). Ties at the threshold are
 * broken deterministically by position: tensor (layer) order first, then flat (row-major) index
 * inside the tensor, lower first. Everything runs in native ops: the k-th value tau comes from
 * a partial top-k, all entries strictly beyond tau are taken, and the remaining k - c entries
 * equal to tau are taken in index order via a cumulative sum over the equality mask.
 *
 * <p>For a per-tensor selection pass a single tensor. k beyond the number of eligible entries
 * takes all of them; k &lt;= 0 takes none. Entries whose score is NaN are only taken when all
 * eligible entries are taken.
 */
public final class Selection {

    /**
     * The chosen positions.
     *
     * @param positions boolean tensors shaped like the scores, true where selected, attached to
     *     the manager passed to the selection (the caller closes them, or that manager)
     * @param count how many entries were selected in total: min(k, eligible), or 0 for k &lt;= 0
     */
    public record Selected(List<NDArray> positions, long count) {
        public Selected {
            positions = List.copyOf(positions);
        }
    }

    private Selection() {}

    /**
     * Selects exactly min(k, #eligible) eligible entries with the smallest scores.
     *
     * @param out the manager that will own the returned position tensors
     * @param scores score tensors, in layer order (same data type)
     * @param eligible per score tensor a boolean or 0/1 tensor of the same shape, or null for
     *     "all eligible"; the list itself may be null
     * @param k number of entries to select
     */
    public static Selected smallest(NDManager out, List<NDArray> scores, List<NDArray> eligible, long k) {
        return select(out, scores, eligible, k, false);
    }

    /** Selects exactly min(k, #eligible) eligible entries with the largest scores; see {@link #smallest}. */
    public static Selected largest(NDManager out, List<NDArray> scores, List<NDArray> eligible, long k) {
        return select(out, scores, eligible, k, true);
    }

    /** Eligibility as a boolean tensor; null means all true. Always a new array. */
    static NDArray asBoolean(NDArray mask, NDArray like) {
        if (mask == null) {
            return like.getManager().ones(like.getShape(), DataType.BOOLEAN);
        }
        if (!mask.getShape().equals(like.getShape())) {
            throw new IllegalArgumentException("mask shape " + mask.getShape() + " differs from " + like.getShape());
        }
        return mask.getDataType() == DataType.BOOLEAN ? mask.toType(DataType.BOOLEAN, true) : mask.neq(0);
    }

    private static Selected select(NDManager out, List<NDArray> scores, List<NDArray> eligible, long k,
            boolean largest) {
        if (scores.isEmpty()) {
            return new Selected(List.of(), 0);
        }
        if (eligible != null && eligible.size() != scores.size()) {
            throw new IllegalArgumentException(scores.size() + " score tensors but " + eligible.size()
                    + " eligibility masks");
        }
        List<NDArray> result = new ArrayList<>(scores.size());
        long count;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList flatScores = new NDList(scores.size());
            NDList flatEligible = new NDList(scores.size());
            long[] splits = new long[scores.size() - 1];
            long offset = 0;
            for (int i = 0; i < scores.size(); i++) {
                NDArray s = scores.get(i);
                flatScores.add(s.flatten());
                flatEligible.add(asBoolean(eligible == null ? null : eligible.get(i), s).flatten());
                offset += s.getShape().size();
                if (i < splits.length) {
                    splits[i] = offset;
                }
            }
            NDArray all = flatScores.size() == 1 ? flatScores.get(0) : NDArrays.concat(flatScores);
            NDArray elig = flatEligible.size() == 1 ? flatEligible.get(0) : NDArrays.concat(flatEligible);
            long available = countTrue(elig);
            long take = Math.min(Math.max(k, 0), available);
            NDArray chosen;
            if (take == 0) {
                chosen = elig.getManager().zeros(elig.getShape(), DataType.BOOLEAN);
            } else if (take == available) {
                chosen = elig.toType(DataType.BOOLEAN, true);
            } else {
                NDArray tau = kthValue(all.booleanMask(elig), take, largest);
                NDArray strict = (largest ? all.gt(tau) : all.lt(tau)).logicalAnd(elig);
                long c = countTrue(strict);
                NDArray atTau = all.eq(tau).logicalAnd(elig);
                if (countTrue(atTau) == take - c) {
                    chosen = strict.logicalOr(atTau); // no tie to break: skip the cumulative sum
                } else {
                    NDArray rank = atTau.toType(DataType.INT64, false).cumSum();
                    chosen = strict.logicalOr(atTau.logicalAnd(rank.lte(take - c)));
                }
            }
            count = countTrue(chosen);
            NDList pieces = splits.length == 0 ? new NDList(chosen) : chosen.split(splits);
            for (int i = 0; i < scores.size(); i++) {
                NDArray piece = pieces.get(i).reshape(scores.get(i).getShape());
                NDScope.unregister(piece);
                piece.attach(out);
                result.add(piece);
            }
        }
        return new Selected(result, count);
    }

    /** The take-th smallest (or largest) value of a 1-D tensor, as a 0-d tensor; 1 &lt;= take &lt; size. */
    private static NDArray kthValue(NDArray values, long take, boolean largest) {
        long n = values.getShape().size();
        // The take-th largest is the (n - take + 1)-th smallest: use whichever side needs the smaller top-k.
        long fromOtherSide = n - take + 1;
        if (Math.min(take, fromOtherSide) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("selection over " + n + " entries is too large");
        }
        if (take <= fromOtherSide) {
            NDArray top = values.topK((int) take, 0, largest, false).get(0);
            return largest ? top.min() : top.max();
        }
        NDArray top = values.topK((int) fromOtherSide, 0, !largest, false).get(0);
        return largest ? top.max() : top.min();
    }

    static long countTrue(NDArray bool) {
        return bool.countNonzero().toType(DataType.INT64, false).getLong();
    }
}
