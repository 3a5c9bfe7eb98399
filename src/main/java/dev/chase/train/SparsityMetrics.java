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
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record SparsityMetrics(long nonZeros, double budget, double density, double liveDensity, double itopRate,
        Map<String, Double> layers) {}
