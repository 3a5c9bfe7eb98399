package dev.chase.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.channel.ConvChannels;
import dev.chase.io.Json;
import dev.chase.run.SparsityMetrics.ConvLayer;
import dev.chase.run.SparsityMetrics.Quantiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-layer channel summary of metrics.jsonl: quantiles, amenable counts, dead channels, JSON form. */
class SparsityMetricsTest {
    /** Channels with 4, 2, 1, 0 of 4 weights active; UMM 2.5, 0.25, 0.5, 0. */
    private static ConvChannels conv(boolean[] alive) {
        return new ConvChannels("layer1.0.conv1", true, 4, new long[] {4, 2, 1, 0}, new double[] {2.5, 0.25, 0.5, 0}, alive);
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        // sorted 0, 1, 2, 3, 10: position h = 4p
        Quantiles q = Quantiles.of(new double[] {3, 0, 10, 2, 1});
        assertThat(q).isEqualTo(new Quantiles(0, 0.4, 1, 2, 3, 7.2, 10));
        assertThat(Quantiles.of(new double[] {5})).isEqualTo(new Quantiles(5, 5, 5, 5, 5, 5, 5));
        assertThat(Quantiles.of(new double[0])).isNull();
        // six significant digits
        assertThat(Quantiles.of(new double[] {2.0 / 3}).median()).isEqualTo(0.666667);
    }

    @Test
    void summarisesRatiosUmmAndAmenableCounts() {
        ConvLayer l = ConvLayer.of(conv(new boolean[] {true, true, true, true}));
        assertThat(l.channels()).isEqualTo(4);
        assertThat(l.dead()).isZero();
        assertThat(l.prunable()).isTrue();
        assertThat(l.aliveDensity()).isEqualTo(0.4375);
        // ratios 0, 4/7, 8/7, 16/7 (x = 1/7): p10 at h = 0.3 -> 1.2x, p25 at 0.75 -> 3x, median 6x, p75 10x, p90 13.6x
        assertThat(l.ratio()).isEqualTo(new Quantiles(0, 0.171429, 0.428571, 0.857143, 1.42857, 1.94286, 2.28571));
        assertThat(l.umm()).isEqualTo(new Quantiles(0, 0.075, 0.1875, 0.375, 1, 1.9, 2.5));
        // 4/7 = 0.57 and 0 are <= 0.75; only the empty channel is <= 0.5, 0.25 and 0
        assertThat(l.amenable()).containsExactly(Map.entry("0.75", 2), Map.entry("0.5", 1), Map.entry("0.25", 1), Map.entry("0", 1));
    }

    @Test
    void deadChannelsAreCountedApartAndLeftOutOfTheStatistics() {
        ConvLayer l = ConvLayer.of(conv(new boolean[] {true, true, true, false}));
        assertThat(l.dead()).isEqualTo(1);
        assertThat(l.alive()).isEqualTo(3);
        // alive ratios 3/7, 6/7, 12/7; UMM 0.25, 0.5, 2.5
        assertThat(l.ratio().min()).isEqualTo(0.428571);
        assertThat(l.ratio().max()).isEqualTo(1.71429);
        assertThat(l.umm().min()).isEqualTo(0.25);
        assertThat(l.amenable()).containsExactly(Map.entry("0.75", 1), Map.entry("0.5", 1), Map.entry("0.25", 0), Map.entry("0", 0));
    }

    @Test
    void aRatioExactlyAtTheThresholdCounts() {
        // nnz 3, 1 of fan-in 4: rho_l = 0.5, ratios 1.5 and 0.5
        ConvLayer l = ConvLayer.of(new ConvChannels("c", false, 4, new long[] {3, 1}, new double[] {1, 1}, new boolean[] {true, true}));
        assertThat(l.amenable().get("0.5")).isEqualTo(1);
        assertThat(l.amenable().get("0.25")).isZero();
    }

    @Test
    void writesKebabCaseJsonThatReadsBackEqual() throws Exception {
        SparsityMetrics m = new SparsityMetrics(7, 7.0, 0.4, 0.4, 0.5, Map.of("c", 0.4), null,
                Map.of("layer1.0.conv1", ConvLayer.of(conv(new boolean[] {true, true, true, false}))));
        String json = Json.write(m);
        JsonNode layer = Json.MAPPER.readTree(json).get("conv-channels").get("layer1.0.conv1");
        assertThat(layer.get("alive-density").asDouble()).isEqualTo(0.583333);
        assertThat(layer.get("ratio").get("p10")).isNotNull();
        assertThat(layer.get("amenable").get("0.75").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readValue(json, SparsityMetrics.class)).isEqualTo(m);
        // a line written before these statistics existed still reads, without them
        String old = "{\"non-zeros\":7,\"budget\":7.0,\"density\":0.4,\"live-density\":0.4,\"itop-rate\":0.5,\"layers\":{\"c\":0.4}}";
        assertThat(Json.MAPPER.readValue(old, SparsityMetrics.class).convChannels()).isNull();
    }
}
