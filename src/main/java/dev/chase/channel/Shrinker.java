package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.sparse.MaskSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Physically removes channels from a network (algorithm §6.6, "mergeFilters"): the kept channels of each
 * channel group become a narrower {@link NetSpec} ({@link NetSpec#withGroupWidths}), that network is
 * built and initialised, and every parameter is filled with the kept slice of the original one.
 * For each group, the rows (axis 0) of its producers' weights and biases, the entries of its
 * BatchNorms' gamma, beta, running mean and running variance, and the columns (axis 1) of its
 * consumers' weights that read the kept channels (at their offset behind a concat, as several
 * columns each behind a flatten: {@link ChannelGroup#columns()}) are kept; a layer that reads one group and writes another (a bottleneck's
 * conv2, a projection shortcut) gets both slicings. Everything else is copied unchanged. The result
 * computes the same function as the original network once the removed channels are silenced, that
 * is once their consumer columns are zero (what channel pruning leaves behind) or their BatchNorm
 * gamma and beta are zero; zero producer rows alone are not enough, since a BatchNorm turns a zero
 * channel into a constant. Unstructured masks and any other tensor shaped like a parameter (optimizer momentum) are
 * sliced the same way with {@link #shrinkMasks} and the {@code slice} methods.
 *
 * <p>Any group may be shrunk, whatever its {@link ChannelGroup.Kind}: which groups plain Chase or
 * its "prune skip" variant may touch is the caller's policy, not this class's.
 *
 * <p>All slicing is native ({@link NDArray#get(NDIndex)} with index arrays); the kept channel lists
 * are validated once, when the shrinker is made. A shrinker is immutable and only reads the source
 * network, which must stay open while the shrinker is used.
 */
public final class Shrinker {
    private static final String WEIGHT = "weight";

    private final Network source;
    private final Map<String, long[]> keep;
    private final NetSpec narrowSpec;
    /** For each producer or BatchNorm losing channels, the rows (entries) that stay, in increasing order. */
    private final Map<String, long[]> keptRowsOf = new LinkedHashMap<>();
    /** For each weight losing input columns, the columns that stay, in increasing order. */
    private final Map<String, long[]> keptColumnsOf = new LinkedHashMap<>();
    /** The rows and columns of the source's layers that lose some, as {@code layer/0} and {@code layer/1}. */
    private final Map<String, Integer> sourceWidths = new LinkedHashMap<>();
    /** Every parameter of the source network, as {@code layer/parameter}. */
    private final Map<Parameter, String> parameterNames = new IdentityHashMap<>();

    private Shrinker(Network source, Map<String, long[]> keep) {
        this.source = source;
        this.keep = keep;
        Map<String, Integer> widths = new LinkedHashMap<>();
        keep.forEach((group, channels) -> widths.put(group, channels.length));
        this.narrowSpec = source.spec().withGroupWidths(widths);
        Map<String, boolean[]> alive = new LinkedHashMap<>();
        Map<String, List<ChannelGroup>> readBy = new LinkedHashMap<>();
        Map<String, String> producedBy = new LinkedHashMap<>();
        for (ChannelGroup g : source.channelGroups()) {
            g.producers().forEach(layer -> claim(producedBy, layer, g.name()));
            if (keep.containsKey(g.name())) {
                boolean[] kept = new boolean[g.width()];
                for (long c : keep.get(g.name())) {
                    kept[(int) c] = true;
                }
                alive.put(g.name(), kept);
                g.producers().forEach(layer -> readBy.computeIfAbsent(layer + "/0", k -> new ArrayList<>()).add(g));
                g.norms().forEach(layer -> readBy.computeIfAbsent(layer + "/0", k -> new ArrayList<>()).add(g));
                g.consumers().forEach(layer -> readBy.computeIfAbsent(layer + "/1", k -> new ArrayList<>()).add(g));
            }
        }
        Map<String, Integer> channels = source.spec().graph().channels();
        for (Map.Entry<String, List<ChannelGroup>> e : readBy.entrySet()) {
            String key = e.getKey();
            String layer = key.substring(0, key.length() - 2);
            boolean rows = key.endsWith("/0");
            int width = rows ? channels.get(layer) : Math.toIntExact(maskable(layer).shape().get(1));
            boolean[] stays = ChannelGroup.aliveInputs(layer, width, e.getValue(), alive);
            long[] kept = IntStream.range(0, width).filter(i -> stays[i]).asLongStream().toArray();
            if (kept.length < width) {
                (rows ? keptRowsOf : keptColumnsOf).put(layer, kept);
                sourceWidths.put(key, width);
            }
        }
        namedParameters(source).forEach((name, p) -> parameterNames.put(p, name));
    }

    /**
     * A shrinker for {@code network} that keeps, in each named channel group, the listed channels.
     *
     * @param network an initialised network (only read)
     * @param kept channel indices to keep, by channel group name (see {@link Network#channelGroups()});
     *     each list is taken in increasing order and must be non-empty, without repeats and within
     *     the group's width; groups not named keep all their channels. The arrays are copied.
     * @throws ChaseException for an unknown group, an empty list, a repeated or out-of-range index
     */
    public static Shrinker of(Network network, Map<String, long[]> kept) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(kept, "kept");
        Map<String, ChannelGroup> groups = new LinkedHashMap<>();
        network.channelGroups().forEach(g -> groups.put(g.name(), g));
        Map<String, long[]> checked = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : kept.entrySet()) {
            String name = e.getKey();
            ChannelGroup group = groups.get(name);
            if (group == null) {
                throw new ChaseException("cannot shrink: unknown channel group '" + name + "'; this network's groups are: "
                        + String.join(", ", groups.keySet()));
            }
            checked.put(name, checkedChannels(group, e.getValue()));
        }
        return new Shrinker(network, Collections.unmodifiableMap(checked));
    }

    /** Shorthand for {@code Shrinker.of(network, kept).shrinkNetwork(manager)}. */
    public static Network shrink(Network network, Map<String, long[]> kept, NDManager manager) {
        return of(network, kept).shrinkNetwork(manager);
    }

    /**
     * The indices of the non-zero entries of a 1-D channel mask (boolean or numeric), in increasing
     * order: the kept list of a group whose channel mask is {@code channelMask}.
     */
    public static long[] keptIndices(NDArray channelMask) {
        if (channelMask.getShape().dimension() != 1) {
            throw new IllegalArgumentException("a channel mask is 1-D, got shape " + channelMask.getShape());
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return channelMask.neq(0).nonzero().flatten().toLongArray();
        }
    }

    /** The network being shrunk. */
    public Network source() {
        return source;
    }

    /** The validated kept channels (increasing) of each named group; a copy. */
    public Map<String, long[]> kept() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        keep.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** The narrower architecture. */
    public NetSpec narrowSpec() {
        return narrowSpec;
    }

    /**
     * Builds the narrower network, initialises it in {@code manager} and fills every parameter with
     * the kept slice of the source's.
     */
    public Network shrinkNetwork(NDManager manager) {
        Network narrow = Network.build(narrowSpec);
        narrow.initialize(manager);
        Map<String, Parameter> from = namedParameters(source);
        Map<String, Parameter> to = namedParameters(narrow);
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalStateException("the narrow network's parameters " + to.keySet()
                    + " differ from the source's " + from.keySet());
        }
        try (NDManager scratch = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> e : from.entrySet()) {
                String key = e.getKey();
                int dot = key.lastIndexOf('/');
                NDArray kept = slice(key.substring(0, dot), key.substring(dot + 1), e.getValue().getArray(), scratch);
                NDArray target = to.get(key).getArray();
                if (!kept.getShape().equals(target.getShape())) {
                    throw new IllegalStateException("slice of " + key + " has shape " + kept.getShape()
                            + " but the narrow parameter has " + target.getShape());
                }
                target.set(new NDIndex("..."), kept);
                if (kept != e.getValue().getArray()) {
                    kept.close();
                }
            }
        }
        return narrow;
    }

    /**
     * The inverse of {@link #shrinkNetwork}: a network of the source's architecture, initialised in
     * {@code manager}, whose kept channels hold the parameters of {@code narrow} and whose removed
     * channels are silent (zero weights, biases, BatchNorm gamma and beta, running mean 0, running
     * variance 1). It computes the same function as {@code narrow}. The source network is only used
     * for its structure here, so it need not be initialised.
     *
     * @param narrow a network of {@link #narrowSpec()}
     */
    public Network expandNetwork(Network narrow, NDManager manager) {
        if (!narrow.spec().equals(narrowSpec)) {
            throw new IllegalArgumentException("the network to expand is not of this shrinker's narrow architecture");
        }
        Network full = Network.build(source.spec());
        full.initialize(manager);
        Map<String, Parameter> from = namedParameters(narrow);
        try (NDManager scratch = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> e : namedParameters(full).entrySet()) {
                String key = e.getKey();
                int slash = key.lastIndexOf('/');
                String parameter = key.substring(slash + 1);
                NDArray expanded = expand(key.substring(0, slash), parameter, from.get(key).getArray(),
                        "runningVar".equals(parameter) ? 1f : 0f, scratch);
                e.getValue().getArray().set(new NDIndex("..."), expanded);
            }
        }
        return full;
    }

    /**
     * The inverse of {@link #slice(String, String, NDArray, NDManager)}: a tensor of the source
     * parameter's shape holding {@code narrow}'s entries at the kept rows and columns and {@code
     * fill} elsewhere (a new array in {@code manager}, or {@code narrow} itself when the layer loses
     * no channels). Pure gathers, so the kept values are copied exactly.
     */
    public NDArray expand(String layer, String parameter, NDArray narrow, float fill, NDManager manager) {
        long[] rows = keptRowsOf.get(layer);
        long[] columns = WEIGHT.equals(parameter) ? keptColumnsOf.get(layer) : null;
        NDArray result = narrow;
        if (columns != null && narrow.getShape().dimension() >= 2) {
            result = spread(result, 1, columns, sourceWidths.get(layer + "/1"), fill, manager);
        }
        if (rows != null) {
            NDArray spreadRows = spread(result, 0, rows, sourceWidths.get(layer + "/0"), fill, manager);
            if (result != narrow && spreadRows != result) {
                result.close();
            }
            result = spreadRows;
        }
        return result;
    }

    /** {@code tensor} with its entries along {@code axis} moved to positions {@code kept} of {@code width}, fill elsewhere. */
    private static NDArray spread(NDArray tensor, int axis, long[] kept, int width, float fill, NDManager manager) {
        if (kept.length == width) {
            return tensor;
        }
        long[] fillDims = tensor.getShape().getShape().clone();
        fillDims[axis] = 1;
        long[] index = new long[width];
        java.util.Arrays.fill(index, kept.length); // the fill slice, appended after the kept ones
        for (int i = 0; i < kept.length; i++) {
            index[(int) kept[i]] = i;
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray padded = tensor.concat(scratch.full(new ai.djl.ndarray.types.Shape(fillDims), fill, tensor.getDataType()), axis);
            padded.attach(scratch);
            NDArray idx = scratch.create(index);
            NDArray out = padded.get(new NDIndex(axis == 0 ? "{}" : ":, {}", idx));
            out.attach(manager);
            return out;
        }
    }

    /**
     * Slices every mask of {@code masks} like the weight of the same name; the new set has the same
     * names in the same order and lives in {@code manager}.
     *
     * @throws ChaseException if a mask does not name a maskable weight of the source network or its
     *     shape differs from that weight's
     */
    public MaskSet shrinkMasks(MaskSet masks, NDManager manager) {
        Objects.requireNonNull(masks, "masks");
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> sliced = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : masks.masks().entrySet()) {
                String name = e.getKey();
                MaskableWeight weight = maskable(name);
                if (!weight.shape().equals(e.getValue().getShape())) {
                    throw new ChaseException("cannot shrink mask " + name + ": its shape " + e.getValue().getShape()
                            + " differs from the weight's " + weight.shape());
                }
                NDArray s = slice(name, WEIGHT, e.getValue(), scratch);
                // MaskSet.of copies, so an unsliced mask can be passed as it is.
                sliced.put(name, s);
            }
            return MaskSet.of(manager, sliced);
        }
    }

    /**
     * The kept slice of a tensor shaped like parameter {@code parameter} ({@code weight}, {@code
     * bias}, {@code gamma}, {@code beta}, {@code runningMean} or {@code runningVar}) of layer {@code
     * layer}: a mask, a momentum buffer, or the parameter itself. The result is a new array in
     * {@code manager}, or {@code tensor} itself when the layer loses no channels.
     */
    public NDArray slice(String layer, String parameter, NDArray tensor, NDManager manager) {
        long[] rows = keptRowsOf.get(layer);
        long[] columns = WEIGHT.equals(parameter) ? keptColumnsOf.get(layer) : null;
        NDArray result = tensor;
        if (rows != null && rows.length < tensor.getShape().get(0)) {
            NDArray index = manager.create(rows);
            result = tensor.get(new NDIndex("{}", index));
            result.attach(manager);
            index.close();
        }
        if (columns != null && tensor.getShape().dimension() >= 2 && columns.length < tensor.getShape().get(1)) {
            NDArray index = manager.create(columns);
            NDArray narrower = result.get(new NDIndex(":, {}", index));
            narrower.attach(manager);
            index.close();
            if (result != tensor) {
                result.close();
            }
            result = narrower;
        }
        return result;
    }

    /**
     * The kept slice of a tensor shaped like {@code parameter}, one of the source network's
     * parameters (its optimizer momentum, say); see {@link #slice(String, String, NDArray, NDManager)}.
     */
    public NDArray slice(Parameter parameter, NDArray tensor, NDManager manager) {
        String name = parameterNames.get(parameter);
        if (name == null) {
            throw new IllegalArgumentException("parameter " + parameter.getName() + " is not one of the source network's");
        }
        int slash = name.lastIndexOf('/');
        return slice(name.substring(0, slash), name.substring(slash + 1), tensor, manager);
    }

    private MaskableWeight maskable(String name) {
        for (MaskableWeight w : source.maskableWeights()) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        throw new ChaseException("cannot shrink mask " + name + ": the network has no maskable weight of that name");
    }

    /**
     * Every parameter of a network keyed {@code layer/parameter}; fails if the block holds a
     * parameter that belongs to no named layer (it could not be sliced correctly).
     */
    private static Map<String, Parameter> namedParameters(Network network) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        Map<Parameter, String> seen = new IdentityHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            add(named, seen, w.name(), w.layer());
        }
        for (ChannelGroup g : network.channelGroups()) {
            for (String norm : g.norms()) {
                add(named, seen, norm, network.norm(norm));
            }
        }
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            if (!seen.containsKey(p.getValue())) {
                throw new IllegalStateException("parameter " + p.getKey() + " belongs to no named layer");
            }
        }
        return named;
    }

    private static void add(Map<String, Parameter> named, Map<Parameter, String> seen, String layer, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = layer + "/" + p.getKey();
            if (named.put(key, p.getValue()) == null) {
                seen.put(p.getValue(), key);
            }
        }
    }

    private static void claim(Map<String, String> owner, String layer, String group) {
        String previous = owner.put(layer, group);
        if (previous != null && !previous.equals(group)) {
            throw new IllegalStateException("layer " + layer + " belongs to channel groups " + previous + " and "
                    + group + " on the same axis");
        }
    }

    private static long[] checkedChannels(ChannelGroup group, long[] channels) {
        if (channels == null || channels.length == 0) {
            throw new ChaseException("cannot shrink channel group " + group.name()
                    + ": the list of kept channels is empty (keep at least one)");
        }
        long[] sorted = channels.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            long c = sorted[i];
            if (c < 0 || c >= group.width()) {
                throw new ChaseException("cannot shrink channel group " + group.name() + ": kept channel " + c
                        + " is out of range [0, " + group.width() + ")");
            }
            if (i > 0 && sorted[i - 1] == c) {
                throw new ChaseException("cannot shrink channel group " + group.name() + ": kept channel " + c
                        + " is listed more than once");
            }
        }
        return sorted;
    }
}
