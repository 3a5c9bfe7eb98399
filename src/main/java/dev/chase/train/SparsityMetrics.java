package dev.chase.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * The sparsity of a network at the end of an epoch (spec §7.1).
 *
 * @param nonZeros active weights over all masked tensors
 * @param budget B = d·D_tot, the budget the method aims at
 * @param density active weights / D_tot (the original architecture's maskable weights)
 * @param liveDensity active weights / the weights of the live structure (higher once channels are removed)
 * @param itopRate fraction of all weight positions that have been active at some point (in-time over-parameterisation)
 * @param layers density of each masked tensor
 * @param channels channel-level sparsity (Chase only)
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record SparsityMetrics(long nonZeros, double budget, double density, double liveDensity, double itopRate,
        Map<String, Double> layers, Channels channels) {

    /**
     * Channel sparsity (spec §7.1).
     *
     * @param prunable 1 - live/original channels over the prunable groups (S_c)
     * @param allConvs the same over every conv output channel
     * @param widths live width of every prunable group
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Channels(double prunable, double allConvs, Map<String, Integer> widths) {}
}
