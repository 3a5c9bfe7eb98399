package dev.chase.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Saves and loads all parameters of a DJL block (weights, biases, BatchNorm statistics) in DJL's
 * own stream format. Loading checks every shape (DJL's loader does not) and restores gradient
 * tracking (DJL's loader drops it).
 */
public final class BlockParameters {
    private BlockParameters() {}

    /** Writes every parameter of {@code block} to {@code out}. */
    public static void save(Block block, DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    /**
     * Reads parameters written by {@link #save} into an initialised block of the same structure.
     *
     * @param what names the source for error messages
     */
    public static void load(Block block, NDManager manager, DataInputStream in, String what) throws IOException {
        java.util.List<ai.djl.ndarray.types.Shape> expected = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.add(p.getValue().getArray().getShape());
        }
        try {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new ChaseException(what + " does not match this model: " + e.getMessage(), e);
        }
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            ai.djl.ndarray.types.Shape shape = p.getValue().getArray().getShape();
            if (!shape.equals(expected.get(i++))) {
                throw new ChaseException(what + " does not match this model: parameter " + p.getKey() + " has shape "
                        + shape + ", the model needs " + expected.get(i - 1));
            }
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }
}
