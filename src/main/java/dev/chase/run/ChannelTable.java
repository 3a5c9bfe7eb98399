package dev.chase.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.channel.ConvChannels;
import java.util.List;

/**
 * {@code channels.json}: every conv output channel of a sparse run at its end (algorithm §9.3), the
 * data of the final distribution of ρ_{ℓ,c}/ρ_ℓ. One entry per masked conv, its per-channel
 * values as columns (the channel is the index), unrounded.
 *
 * @param epoch the epoch after which the table was taken
 * @param method the run's sparse method
 * @param layers the masked convs in forward order
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record ChannelTable(int epoch, String method, List<Layer> layers) {

    /**
     * One conv's channels; see {@link ConvChannels} for the definitions.
     *
     * @param layer the conv's name
     * @param prunable whether it produces a group the run may prune
     * @param fanIn I·kh·kw of the original layer
     * @param aliveDensity ρ_ℓ, the mean density of the alive channels
     * @param density ρ_{ℓ,c} per channel
     * @param ratio ρ_{ℓ,c}/ρ_ℓ per channel (0 for removed channels; skip them by {@code alive})
     * @param umm UMM_{ℓ,c} per channel
     * @param alive false for channels removed by Chase
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Layer(String layer, boolean prunable, long fanIn, double aliveDensity, double[] density, double[] ratio,
            double[] umm, boolean[] alive) {

        static Layer of(ConvChannels c) {
            return new Layer(c.layer(), c.prunable(), c.fanIn(), c.aliveDensity(), c.densities(), c.ratios(), c.umm(),
                    c.alive());
        }
    }

    public static ChannelTable of(int epoch, String method, List<ConvChannels> convs) {
        return new ChannelTable(epoch, method, convs.stream().map(Layer::of).toList());
    }
}
