package dev.chase.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of method options and the flat config agree. */
class DstMethodTest {

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void everyMethodOptionIsAConfigKeyInTheConfigsOrder() {
        List<String> components = Arrays.stream(TrainConfig.class.getRecordComponents()).map(c -> kebab(c.getName())).toList();
        List<String> all = DstMethod.allOptions();
        assertThat(components).containsSubsequence(all);
        assertThat(components.subList(components.indexOf(all.get(0)), components.size())).isEqualTo(all);
    }

    @Test
    void anOptionOfAnotherMethodIsRefusedNamingTheMethodsOwn() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainConfig.defaults().with("method", "rigl", "death-rate", 0.1,
                "channel-sparsity", 0.5)).hasMessageContaining("method rigl does not use --death-rate, --channel-sparsity; its options are: --density");
    }
}
