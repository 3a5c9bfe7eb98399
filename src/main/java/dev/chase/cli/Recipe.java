package dev.chase.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe file (YAML or JSON; a run's {@code config.json} is one) whose keys mirror the long
 * flags of {@code chase train}. It is applied by turning it into flags placed before the user's
 * own, so flags on the command line override the recipe.
 */
final class Recipe {
    /** The Java type of each key's value in {@link TrainConfig} (primitive for keys that always have a value). */
    private static final Map<String, Class<?>> TYPES = types();

    private Recipe() {}

    private static Map<String, Class<?>> types() {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        List<String> keys = ConfigDefaults.keys();
        RecordComponent[] components = TrainConfig.class.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            types.put(keys.get(i), components[i].getType());
        }
        return types;
    }

    /** What a value of {@code type} must be, in words, if {@code v} is not one; else null. */
    private static String typeError(Class<?> type, JsonNode v) {
        String text = v.asText();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            boolean whole = v.isIntegralNumber() || text.matches("-?\\d+");
            try {
                if (type == int.class || type == Integer.class) {
                    Integer.parseInt(text);
                } else {
                    Long.parseLong(text);
                }
                return whole ? null : "a whole number";
            } catch (NumberFormatException e) {
                return whole ? "a whole number up to " + (type == int.class || type == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE)
                        : "a whole number";
            }
        }
        if (type == double.class || type == Double.class) {
            if (v.isNumber()) {
                return null;
            }
            try {
                Double.parseDouble(text);
                return null;
            } catch (NumberFormatException e) {
                return "a number";
            }
        }
        if (type == boolean.class || type == Boolean.class) {
            return v.isBoolean() || text.equals("true") || text.equals("false") ? null : "true or false";
        }
        return null;
    }

    /**
     * If {@code args} (the arguments after {@code train}) name a recipe with {@code --recipe FILE}
     * or {@code --recipe=FILE}, returns the recipe's flags followed by {@code args}; otherwise
     * {@code args}.
     */
    static List<String> expand(List<String> args) {
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--recipe") && i + 1 < args.size()) {
                file = Path.of(args.get(i + 1));
            } else if (a.startsWith("--recipe=")) {
                file = Path.of(a.substring("--recipe=".length()));
            }
        }
        if (file == null) {
            return args;
        }
        List<String> out = new ArrayList<>(flags(file));
        out.addAll(args);
        return out;
    }

    /** The flags a recipe file stands for. */
    static List<String> flags(Path file) {
        List<String> flags = new ArrayList<>();
        values(file).forEach((key, value) -> flags.add("--" + key + "=" + value));
        return flags;
    }

    /**
     * The keys a recipe file sets and their values as text, in file order (keys set to null are
     * left out).
     *
     * @throws ChaseException naming the file for a missing or malformed file, an unknown key or a
     *     value that is not a single scalar
     */
    static Map<String, String> values(Path file) {
        if (Files.isDirectory(file)) {
            throw new ChaseException("recipe " + file + " is a folder; name a YAML or JSON file (a run's recipe is its config.json)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ChaseException("recipe " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = Json.YAML.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(Files.readString(file));
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
                var duplicate = java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(String.valueOf(j.getOriginalMessage()));
                if (duplicate.find()) {
                    throw new ChaseException("recipe " + file + ": key '" + duplicate.group(1) + "' is given twice"
                            + (j.getLocation() == null ? "" : " (again on line " + j.getLocation().getLineNr() + ")"), e);
                }
                throw Json.error("recipe " + file, e);
            }
            throw new ChaseException("cannot read recipe " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new ChaseException("recipe " + file + " must be a mapping of keys to values, like 'model: vgg19'");
        }
        List<String> keys = ConfigDefaults.keys();
        Map<String, String> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!keys.contains(f.getKey())) {
                throw new ChaseException("recipe " + file + ": unknown key '" + f.getKey() + "'; known keys: " + String.join(", ", keys));
            }
            JsonNode v = f.getValue();
            Class<?> type = TYPES.get(f.getKey());
            if (v.isNull()) {
                if (type.isPrimitive()) {
                    throw new ChaseException("recipe " + file + ": key '" + f.getKey() + "' has no value; give one or remove the key");
                }
                continue; // an option the run does not set (a run's config.json has these)
            }
            if (!v.isValueNode()) {
                throw new ChaseException("recipe " + file + ": key '" + f.getKey() + "' must have a single value");
            }
            String wrong = typeError(type, v);
            if (wrong != null) {
                throw new ChaseException("recipe " + file + ": key '" + f.getKey() + "' must be " + wrong + ", not '" + v.asText() + "'");
            }
            values.put(f.getKey(), v.asText());
        }
        return values;
    }
}
