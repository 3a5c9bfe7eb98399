package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-output-channel state of one masked conv layer ℓ, for the "sparse amenable channels"
 * analysis (algorithm §9.3): for every output channel c its active weights nnz(M_ℓ[c]) and its
 * {@link UmmScore UMM}, whether the channel is alive (not removed by a Chase event), and whether
 * the layer produces a prunable group. The densities and ratios follow from these counts:
 *
 * <ul>
 *   <li>ρ_{ℓ,c} = nnz(M_ℓ[c]) / (I·kh·kw), over the original fan-in;
 *   <li>ρ_ℓ ({@link #aliveDensity}) = nnz(M_ℓ) / (alive channels · I·kh·kw), the mean density of the
 *       alive channels. Before any channel is removed this is the layer density; after, removed
 *       rows (all zero) would otherwise drag ρ_ℓ down and push every survivor's ratio above 1;
 *   <li>ρ_{ℓ,c}/ρ_ℓ ({@link #ratios}) = nnz(M_ℓ[c])·alive / nnz(M_ℓ), so the alive channels'
 *       ratios average exactly 1. A layer without active weights has ratio 0 everywhere.
 * </ul>
 *
 * @param layer the conv's name
 * @param prunable whether the conv produces a channel group that the run may prune
 * @param fanIn I·kh·kw of the original (unshrunk) weight
 * @param nonZeros nnz(M_ℓ[c]) per output channel
 * @param umm UMM_{ℓ,c} per output channel
 * @param alive per output channel, false once a Chase event removed it
 */
public record ConvChannels(String layer, boolean prunable, long fanIn, long[] nonZeros, double[] umm, boolean[] alive) {
    private static final UmmScore UMM = new UmmScore();

    public ConvChannels {
        if (nonZeros.length != umm.length || nonZeros.length != alive.length) {
            throw new IllegalArgumentException("per-channel arrays of " + layer + " differ in length");
        }
    }

    /**
     * Measures one conv: per-channel counts and UMM with native ops (one reduction each).
     *
     * @param weight the conv weight (O, I, kh, kw), original shape; masked positions may hold anything
     * @param mask its 0/1 mask of the same shape (already restricted to the alive structure)
     * @param alive the producer group's alive vector, or null when every channel is alive
     */
    public static ConvChannels measure(String layer, boolean prunable, NDArray weight, NDArray mask, boolean[] alive) {
        return measure(layer, prunable, weight, mask, alive, weight.getShape().size() / weight.getShape().get(0));
    }

    /** {@link #measure(String, boolean, NDArray, NDArray, boolean[])} over a given original fan-in. */
    private static ConvChannels measure(String layer, boolean prunable, NDArray weight, NDArray mask, boolean[] alive,
            long fanIn) {
        long out = weight.getShape().get(0);
        long[] nnz;
        double[] umm;
        try (NDManager tmp = weight.getManager().newSubManager()) {
            NDArray m = ScoreTensors.activeMask(weight, mask);
            m.attach(tmp);
            NDArray counts = m.sum(ScoreTensors.channelAxes(weight)).toType(DataType.INT64, false);
            counts.attach(tmp);
            nnz = counts.toLongArray();
            NDArray scores = UMM.score(weight, m, fanIn);
            scores.attach(tmp);
            float[] f = scores.toFloatArray();
            umm = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                umm[c] = f[c];
            }
        }
        boolean[] a = alive == null ? new boolean[(int) out] : alive.clone();
        if (alive == null) {
            Arrays.fill(a, true);
        }
        return new ConvChannels(layer, prunable, fanIn, nnz, umm, a);
    }

    /**
     * Measures every masked conv of a network (linear layers are left out), in forward order.
     *
     * @param weights per maskable weight name, the current weight
     * @param masks per maskable weight name, its mask
     * @param alive per group name, its alive vector (groups not in the map are fully alive)
     * @param prunableGroups the names of the groups the run may prune; a conv is prunable if it produces one
     */
    public static List<ConvChannels> measure(Network network, Map<String, NDArray> weights, Map<String, NDArray> masks,
            Map<String, boolean[]> alive, Collection<String> prunableGroups) {
        return measure(network, null, weights, masks, alive, prunableGroups);
    }

    /**
     * The same for a network that was physically narrowed while training: {@code weights} and
     * {@code masks} are the narrow network's, {@code original} gives the layers and their original
     * fan-ins, and each layer's channels are spread over its original channels (those no longer
     * present have no weights), so the result reads as on the masked network.
     *
     * @param live which original channels the narrow network holds, or null if it was never narrowed
     */
    public static List<ConvChannels> measure(Network original, PhysicalChannels live, Map<String, NDArray> weights,
            Map<String, NDArray> masks, Map<String, boolean[]> alive, Collection<String> prunableGroups) {
        Set<String> prunable = Set.copyOf(prunableGroups);
        Map<String, ChannelGroup> producedBy = new HashMap<>();
        for (ChannelGroup g : original.channelGroups()) {
            g.producers().forEach(p -> producedBy.put(p, g));
        }
        List<ConvChannels> out = new ArrayList<>();
        for (MaskableWeight w : original.maskableWeights()) {
            if (w.shape().dimension() != 4) {
                continue;
            }
            ChannelGroup g = producedBy.get(w.name());
            boolean[] a = g == null ? null : alive.get(g.name());
            long fanIn = w.shape().size() / w.shape().get(0);
            boolean p = g != null && prunable.contains(g.name());
            if (live == null || g == null || !live.tracks(g.name())) {
                out.add(measure(w.name(), p, weights.get(w.name()), masks.get(w.name()), a, fanIn));
            } else {
                int[] channels = live.originalChannels(g.name());
                boolean[] all = new boolean[channels.length];
                Arrays.fill(all, true);
                out.add(measure(w.name(), p, weights.get(w.name()), masks.get(w.name()), all, fanIn).spread(channels, a));
            }
        }
        return out;
    }

    /**
     * This layer's per-channel values placed at the original channels {@code channels} (position i
     * holds channel {@code channels[i]}); the other channels have no weights.
     */
    private ConvChannels spread(int[] channels, boolean[] originalAlive) {
        long[] n = new long[originalAlive.length];
        double[] u = new double[originalAlive.length];
        for (int i = 0; i < channels.length; i++) {
            n[channels[i]] = nonZeros[i];
            u[channels[i]] = umm[i];
        }
        return new ConvChannels(layer, prunable, fanIn, n, u, originalAlive.clone());
    }

    /** Number of output channels (the original width). */
    public int channels() {
        return alive.length;
    }

    /** Number of removed channels. */
    public int dead() {
        return alive.length - AliveVectors.count(alive);
    }

    /** ρ_{ℓ,c} per channel. */
    public double[] densities() {
        double[] d = new double[nonZeros.length];
        for (int c = 0; c < d.length; c++) {
            d[c] = (double) nonZeros[c] / fanIn;
        }
        return d;
    }

    /** ρ_ℓ: the mean density of the alive channels (0 when none is alive). */
    public double aliveDensity() {
        int live = AliveVectors.count(alive);
        return live == 0 ? 0 : (double) total() / ((double) live * fanIn);
    }

    /** ρ_{ℓ,c}/ρ_ℓ per channel (removed channels have no weights, so 0). */
    public double[] ratios() {
        long total = total();
        long live = AliveVectors.count(alive);
        double[] r = new double[nonZeros.length];
        if (total > 0) {
            for (int c = 0; c < r.length; c++) {
                r[c] = (double) (nonZeros[c] * live) / total;
            }
        }
        return r;
    }

    private long total() {
        return Arrays.stream(nonZeros).sum();
    }
}
