package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural masks F of algorithm §4: for every maskable weight that produces or consumes a
 * channel group, a float32 0/1 tensor of the weight's shape whose rows (axis 0) of removed output
 * channels and columns (axis 1) of removed input channels are 0 (a channel read through a concat
 * or a flatten is the columns {@link ChannelGroup#columns()} says). ANDed into the unstructured masks
 * after every step ({@code MaskSet.restrictTo}), it keeps removed channels dead: their weights,
 * momentum and growth stay 0. Built with broadcasting products of the alive vectors (one native
 * multiply per axis), never a loop over weights.
 */
public final class StructuralMasks {
    private StructuralMasks() {}

    /**
     * Structural masks of a network's maskable weights.
     *
     * @param out the manager that owns the returned masks
     * @param network its channel groups and weight shapes are used (the network need not be initialised)
     * @param alive per group name, the alive vector (true = channel kept); groups not in the map are
     *     fully alive
     * @return per weight name, F; weights that touch no group of {@code alive} are left out (no restriction)
     */
    public static Map<String, NDArray> of(NDManager out, Network network, Map<String, boolean[]> alive) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            shapes.put(w.name(), w.shape());
        }
        return of(out, network.channelGroups(), shapes, alive);
    }

    /**
     * Structural masks from channel groups and weight shapes; see {@link #of(NDManager, Network, Map)}.
     *
     * @param shapes per maskable weight name, its shape (axis 0 = output channels, axis 1 = input channels)
     */
    public static Map<String, NDArray> of(NDManager out, List<ChannelGroup> groups, Map<String, Shape> shapes,
            Map<String, boolean[]> alive) {
        Map<String, boolean[]> rows = new HashMap<>();
        Map<String, List<ChannelGroup>> readGroups = new HashMap<>();
        for (Map.Entry<String, boolean[]> e : alive.entrySet()) {
            ChannelGroup group = groups.stream().filter(g -> g.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no channel group named " + e.getKey()));
            for (String p : group.producers()) {
                rows.put(p, e.getValue());
            }
            for (String c : group.consumers()) {
                readGroups.computeIfAbsent(c, k -> new ArrayList<>()).add(group);
            }
        }
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            String name = e.getKey();
            boolean[] row = rows.get(name);
            Shape shape = e.getValue();
            boolean[] col = readGroups.containsKey(name) ? aliveColumns(name, shape, readGroups.get(name), alive) : null;
            if (row == null && col == null) {
                continue;
            }
            NDArray f = out.ones(shape, DataType.FLOAT32);
            if (row != null) {
                try (NDArray v = vector(out, name, "output channels", row, shape, 0)) {
                    f.muli(v);
                }
            }
            if (col != null) {
                try (NDArray v = vector(out, name, "input channels", col, shape, 1)) {
                    f.muli(v);
                }
            }
            masks.put(name, f);
        }
        return masks;
    }

    /** The alive input columns of weight {@code name}: a column dies with the channel it reads (through a concat or flatten too). */
    private static boolean[] aliveColumns(String name, Shape shape, List<ChannelGroup> read, Map<String, boolean[]> alive) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("weight " + name + " of shape " + shape + " has no input axis");
        }
        return ChannelGroup.aliveInputs(name, Math.toIntExact(shape.get(1)), read, alive);
    }

    /** The alive vector as float32 0/1, shaped to broadcast along {@code axis} of {@code shape}. */
    private static NDArray vector(NDManager out, String weight, String what, boolean[] alive, Shape shape,
            int axis) {
        if (shape.dimension() <= axis || shape.get(axis) != alive.length) {
            throw new IllegalArgumentException("alive vector of length " + alive.length + " does not match the "
                    + what + " of " + weight + " with shape " + shape);
        }
        float[] values = new float[alive.length];
        for (int i = 0; i < alive.length; i++) {
            values[i] = alive[i] ? 1f : 0f;
        }
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[axis] = alive.length;
        return out.create(values, new Shape(dims));
    }
}
