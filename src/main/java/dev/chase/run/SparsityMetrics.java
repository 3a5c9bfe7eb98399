package dev.chase.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.channel.ConvChannels;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sparsity of a network at the end of an epoch (algorithm §7.1).
 *
 * @param nonZeros active weights over all masked tensors
 * @param budget B = d·D_tot, the budget the method aims at
 * @param density active weights / D_tot (the original architecture's maskable weights)
 * @param liveDensity active weights / the weights of the live structure (higher once channels are removed)
 * @param itopRate fraction of all weight positions that have been active at some point (in-time over-parameterisation)
 * @param layers density of each masked tensor
 * @param channels channel-level sparsity (Chase only)
 * @param convChannels per masked conv, a summary of its channel densities and UMM (algorithm §9.3); absent in
 *     runs written before these statistics were logged
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record SparsityMetrics(long nonZeros, double budget, double density, double liveDensity, double itopRate,
        Map<String, Double> layers, Channels channels, Map<String, ConvLayer> convChannels) {

    /**
     * Channel sparsity (algorithm §7.1).
     *
     * @param prunable 1 - live/original channels over the prunable groups (S_c)
     * @param allConvs the same over every conv output channel
     * @param widths live width of every prunable group
     * @param costFraction with a cost budget (--target-flops, --target-latency), the live structure's predicted
     *     cost over the dense network's, in the budget's unit; absent otherwise
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Channels(double prunable, double allConvs, Map<String, Integer> widths, Double costFraction) {

        /** Channel sparsity of a run with a channel-sparsity budget (no cost fraction). */
        public Channels(double prunable, double allConvs, Map<String, Integer> widths) {
            this(prunable, allConvs, widths, null);
        }
    }

    /**
     * One conv layer's channels at the end of an epoch, for the "sparse amenable channels" analysis
     * (algorithm §9.3). The ratio and UMM statistics cover the alive channels only: removed channels are
     * empty by construction and are counted in {@code dead} instead. See {@link ConvChannels} for
     * the definitions of ρ_{ℓ,c} and ρ_ℓ.
     *
     * @param channels output channels of the original layer
     * @param dead channels removed by Chase events (0 for other methods)
     * @param prunable whether the layer produces a group the run may prune
     * @param aliveDensity ρ_ℓ, the mean density of the alive channels
     * @param ratio quantiles of ρ_{ℓ,c}/ρ_ℓ over the alive channels (absent if none is alive)
     * @param umm quantiles of UMM_{ℓ,c} over the alive channels (absent if none is alive)
     * @param amenable per α of {@link #ALPHAS} (keys "0.75", "0.5", "0.25", "0"), the alive channels with
     *     ρ_{ℓ,c}/ρ_ℓ ≤ α
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ConvLayer(int channels, int dead, boolean prunable, double aliveDensity, Quantiles ratio, Quantiles umm,
            Map<String, Integer> amenable) {
        /**
         * The criteria ρ_{ℓ,c}/ρ_ℓ ≤ α counted for every layer. This family is this project's
         * parameterisation (algorithm §9.3, step 3), not the paper's: α = 0 counts empty channels.
         */
        public static final List<Double> ALPHAS = List.of(0.75, 0.5, 0.25, 0.0);

        /** The key of α in {@link #amenable}: its shortest decimal ("0.75", "0"). */
        public static String key(double alpha) {
            return BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
        }

        /** The summary of one measured conv. */
        public static ConvLayer of(ConvChannels conv) {
            double[] ratios = alive(conv.ratios(), conv.alive());
            Map<String, Integer> amenable = new LinkedHashMap<>();
            for (double alpha : ALPHAS) {
                amenable.put(key(alpha), (int) Arrays.stream(ratios).filter(r -> r <= alpha).count());
            }
            return new ConvLayer(conv.channels(), conv.dead(), conv.prunable(), Quantiles.round(conv.aliveDensity()),
                    Quantiles.of(ratios), Quantiles.of(alive(conv.umm(), conv.alive())), amenable);
        }

        /** The alive channels' count (channels - dead). */
        public int alive() {
            return channels - dead;
        }

        private static double[] alive(double[] values, boolean[] alive) {
            double[] out = new double[values.length];
            int n = 0;
            for (int c = 0; c < values.length; c++) {
                if (alive[c]) {
                    out[n++] = values[c];
                }
            }
            return Arrays.copyOf(out, n);
        }
    }

    /**
     * Quantiles of a sample, linearly interpolated between order statistics (the default of numpy
     * and R type 7), rounded to six significant digits to keep {@code metrics.jsonl} small.
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Quantiles(double min, double p10, double p25, double median, double p75, double p90, double max) {
        private static final MathContext DIGITS = new MathContext(6);

        /** The quantiles of the values, or null for an empty sample. */
        public static Quantiles of(double[] values) {
            if (values.length == 0) {
                return null;
            }
            double[] x = values.clone();
            Arrays.sort(x);
            return new Quantiles(at(x, 0), at(x, 0.1), at(x, 0.25), at(x, 0.5), at(x, 0.75), at(x, 0.9), at(x, 1));
        }

        private static double at(double[] sorted, double p) {
            double h = (sorted.length - 1) * p;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            return round(sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]));
        }

        static double round(double v) {
            return new BigDecimal(v).round(DIGITS).doubleValue();
        }
    }
}
