package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import dev.chase.model.GraphModels;
import dev.chase.model.NetSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Groups found by following the graph equal the groups each built-in architecture used to declare by hand. */
class GroupDerivationTest {

    static List<String> models() {
        return NetSpecs.names().stream().filter(n -> !GraphModels.isNamed(n)).toList();
    }

    /**
     * The groups each built-in architecture declared by hand before they were derived (written by
     * that code to groups/declared-groups.json, 2026-12-05; each given {@code "block": 1} when groups
     * gained blocks), to the names, kinds, widths, producers, BatchNorms and readers.
     */
    @ParameterizedTest
    @MethodSource("models")
    void derivedGroupsEqualTheOnesTheArchitecturesDeclared(String model) throws IOException {
        JsonNode declared;
        try (InputStream in = GroupDerivationTest.class.getResourceAsStream("/groups/declared-groups.json")) {
            declared = Json.MAPPER.readTree(in);
        }
        for (double width : new double[] {1.0, 0.5}) {
            NetSpec spec = NetSpecs.named(model, 3, 10, width);
            List<ChannelGroup> derived = GroupDerivation.derive(spec.graph()).stream().map(GroupDerivation.Derived::group)
                    .toList();
            List<ChannelGroup> expected = Json.MAPPER.convertValue(declared.get(model + " x" + width),
                    new TypeReference<List<ChannelGroup>>() {});
            assertThat(derived).as("%s x%s", model, width).isEqualTo(expected);
            assertThat(spec.channelGroups()).isEqualTo(expected);
        }
    }

    /** A shrunk network: every group narrowed by a different amount, so widths cannot come from one multiplier. */
    @ParameterizedTest
    @MethodSource("models")
    void derivedGroupsOfANarrowedSpecEqualItsDeclaredOnes(String model) {
        NetSpec spec = NetSpecs.named(model, 1, 7, 0.25);
        Map<String, Integer> widths = new LinkedHashMap<>();
        List<ChannelGroup> groups = spec.channelGroups();
        for (int i = 0; i < groups.size(); i++) {
            widths.put(groups.get(i).name(), Math.max(1, groups.get(i).width() - 1 - i % 3));
        }
        NetSpec narrow = spec.withGroupWidths(widths);
        List<ChannelGroup> derived = GroupDerivation.derive(narrow.graph()).stream().map(GroupDerivation.Derived::group)
                .toList();
        assertThat(derived).isEqualTo(narrow.channelGroups());
        assertThat(derived).extracting(ChannelGroup::width).isEqualTo(List.copyOf(widths.values()));
    }
}
