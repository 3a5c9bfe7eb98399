package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.model.ChannelGroup;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Groups found by following the graph equal the groups each built-in architecture declares by hand. */
class GroupDerivationTest {

    static List<String> models() {
        return NetSpecs.names();
    }

    @ParameterizedTest
    @MethodSource("models")
    void derivedGroupsEqualTheDeclaredOnes(String model) {
        for (double width : new double[] {1.0, 0.5}) {
            NetSpec spec = NetSpecs.named(model, 3, 10, width);
            List<ChannelGroup> derived = GroupDerivation.derive(SpecGraphs.of(spec)).stream().map(GroupDerivation.Derived::group)
                    .toList();
            assertThat(derived).as("%s x%s", model, width).isEqualTo(spec.channelGroups());
        }
    }
}
