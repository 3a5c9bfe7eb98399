package dev.chase.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.chase.config.TrainConfig;
import dev.chase.io.Json;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from {@link TrainConfig#defaults()}: the option {@code --batch-size}
 * takes the value of the config key {@code batch-size}.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final JsonNode defaults = Json.MAPPER.valueToTree(TrainConfig.defaults());

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        JsonNode value = defaults.get(key(option));
        if (value == null || value.isNull()) {
            return null;
        }
        // 0.0005 rather than 5.0E-4, which the help would also wrap at its '-'
        if (!value.isFloatingPointNumber()) {
            return value.asText();
        }
        String plain = BigDecimal.valueOf(value.asDouble()).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** The config keys, which are also the recipe keys. */
    static List<String> keys() {
        PropertyNamingStrategies.KebabCaseStrategy kebab = new PropertyNamingStrategies.KebabCaseStrategy();
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            keys.add(kebab.translate(c.getName()));
        }
        return keys;
    }

    /** The config key of an option: its long name without dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }
}
