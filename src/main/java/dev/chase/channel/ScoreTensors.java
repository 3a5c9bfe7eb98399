package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.stream.IntStream;

/** Shared tensor plumbing of the channel scores. */
final class ScoreTensors {
    private ScoreTensors() {}

    /** Axes 1..rank-1: everything but the output channel. */
    static int[] channelAxes(NDArray weight) {
        int rank = weight.getShape().dimension();
        if (rank < 2) {
            throw new IllegalArgumentException("a producer weight needs output channels on axis 0 and at least one"
                    + " more axis, got shape " + weight.getShape());
        }
        return IntStream.range(1, rank).toArray();
    }

    /** The mask as float32 0/1 of the weight's shape; null means "active where the weight is non-zero". */
    static NDArray activeMask(NDArray weight, NDArray mask) {
        if (mask == null) {
            return weight.neq(0).toType(DataType.FLOAT32, false);
        }
        if (!mask.getShape().equals(weight.getShape())) {
            throw new IllegalArgumentException("mask shape " + mask.getShape() + " differs from weight shape "
                    + weight.getShape());
        }
        return mask.getDataType() == DataType.BOOLEAN
                ? mask.toType(DataType.FLOAT32, false)
                : mask.neq(0).toType(DataType.FLOAT32, false);
    }

    /** |W| as float32, with masked positions zeroed when a mask is given. */
    static NDArray maskedMagnitude(NDArray weight, NDArray mask) {
        NDArray abs = weight.toType(DataType.FLOAT32, false).abs();
        return mask == null ? abs : abs.mul(activeMask(weight, mask));
    }
}
