package dev.chase.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import java.io.IOException;
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
    private Recipe() {}

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
        if (!Files.isRegularFile(file)) {
            throw new ChaseException("recipe " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = Json.YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
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
            if (v.isNull()) {
                continue;
            }
            if (!v.isValueNode()) {
                throw new ChaseException("recipe " + file + ": key '" + f.getKey() + "' must have a single value");
            }
            values.put(f.getKey(), v.asText());
        }
        return values;
    }
}
