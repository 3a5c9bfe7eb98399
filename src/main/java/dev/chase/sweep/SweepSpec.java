package dev.chase.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file as written: a base recipe, axes (a {@code chase train} key with a list of values
 * each), explicit runs (combinations of keys, each crossed with the axes) and an optional
 * baseline. Every value is kept as the text the recipe reader would pass to {@code chase train}.
 *
 * @param file the sweep file
 * @param base the base recipe's keys and values, in order
 * @param axes the axes in file order; the first varies slowest
 * @param runs the explicit runs, in file order; empty when the file has none
 * @param baseline the keys and values that pick the baseline configuration; empty when none
 */
public record SweepSpec(Path file, Map<String, String> base, List<Axis> axes, List<Map<String, String>> runs,
        Map<String, String> baseline) {
    /** The keys a sweep file may have at its top level. */
    public static final List<String> TOP_KEYS = List.of("base", "axes", "runs", "baseline");

    /**
     * One axis.
     *
     * @param key a {@code chase train} key
     * @param values its values, at least one, no two equal
     */
    public record Axis(String key, List<String> values) {}

    public SweepSpec {
        base = Collections.unmodifiableMap(new LinkedHashMap<>(base));
        axes = List.copyOf(axes);
        runs = runs.stream().map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
        baseline = Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
    }

    /**
     * Reads and checks a sweep file.
     *
     * @throws ChaseException naming the file for a missing or malformed file, an unknown key, an
     *     empty axis, a value of the wrong type or a missing base recipe
     */
    public static SweepSpec read(Path file, TrainKeys train) {
        if (!Files.isRegularFile(file)) {
            throw new ChaseException("sweep file " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = Json.YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw oneLine(Json.error("sweep file " + file, e));
        } catch (IOException e) {
            throw new ChaseException("cannot read sweep file " + file + ": " + AtomicFiles.describe(e), e);
        }
        Reader r = new Reader(file, train);
        if (root == null || !root.isObject()) {
            throw r.error("must be a mapping with the keys " + String.join(", ", TOP_KEYS) + ", like 'base: recipe.yaml'");
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP_KEYS.contains(k)) {
                throw r.error("unknown key '" + k + "'; a sweep file has " + String.join(", ", TOP_KEYS));
            }
        });
        Map<String, String> base = r.base(root.get("base"));
        List<Axis> axes = r.axes(root.get("axes"));
        List<Map<String, String>> runs = r.runs(root.get("runs"), axes);
        Map<String, String> baseline = root.hasNonNull("baseline") ? r.keyValues(root.get("baseline"), "baseline") : Map.of();
        if (root.has("baseline") && baseline.isEmpty()) {
            throw r.error("baseline must name at least one key, like 'baseline: {method: rigl}'");
        }
        return new SweepSpec(file, base, axes, runs, baseline);
    }

    /** The parser's message on one line: its first line and its last (what it expected). */
    private static ChaseException oneLine(ChaseException e) {
        List<String> lines = e.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("^")).toList();
        return lines.size() < 2 ? e : new ChaseException(lines.get(0) + " " + lines.get(lines.size() - 1));
    }

    /** Reads the parts of one sweep file, naming it in every error. */
    private record Reader(Path file, TrainKeys train) {
        ChaseException error(String message) {
            return new ChaseException("sweep file " + file + ": " + message);
        }

        Map<String, String> base(JsonNode node) {
            if (node == null || node.isNull()) {
                throw error("no base recipe: add 'base: RECIPE.yaml' (a path relative to the sweep file) or 'base: {model: resnet20, ...}'");
            }
            if (node.isTextual()) {
                Path recipe = file.toAbsolutePath().getParent().resolve(node.asText());
                if (!Files.isRegularFile(recipe)) {
                    throw error("base recipe " + recipe + " does not exist");
                }
                try {
                    return train.recipe().apply(recipe);
                } catch (ChaseException e) {
                    throw error(e.getMessage());
                }
            }
            return keyValues(node, "base");
        }

        List<Axis> axes(JsonNode node) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isObject()) {
                throw error("axes must be a mapping of keys to lists of values, like 'axes: {seed: [1, 2]}'");
            }
            List<Axis> axes = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String where = "axis '" + f.getKey() + "'";
                checkKey(f.getKey(), where);
                if (!f.getValue().isArray()) {
                    throw error(where + " must be a list of values, like '" + f.getKey() + ": [a, b]'");
                }
                if (f.getValue().isEmpty()) {
                    throw error(where + " is empty; give it at least one value or remove it");
                }
                List<String> values = new ArrayList<>();
                for (JsonNode v : f.getValue()) {
                    String text = scalar(v, where);
                    if (values.contains(text)) {
                        throw error(where + " lists the value " + text + " twice");
                    }
                    values.add(text);
                }
                axes.add(new Axis(f.getKey(), values));
            }
            return axes;
        }

        List<Map<String, String>> runs(JsonNode node, List<Axis> axes) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray() || node.isEmpty()) {
                throw error("runs must be a non-empty list of mappings, like 'runs: [{method: rigl}, {method: chase}]'");
            }
            Set<String> axisKeys = new HashSet<>(axes.stream().map(Axis::key).toList());
            List<Map<String, String>> runs = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String where = "runs[" + i + "]";
                Map<String, String> run = keyValues(node.get(i), where);
                for (String k : run.keySet()) {
                    if (axisKeys.contains(k)) {
                        throw error(where + " sets '" + k + "', which is also an axis; set it in one place");
                    }
                }
                runs.add(run);
            }
            return runs;
        }

        Map<String, String> keyValues(JsonNode node, String where) {
            if (!node.isObject()) {
                throw error(where + " must be a mapping of chase train keys to values, like '{method: rigl}'");
            }
            Map<String, String> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                checkKey(f.getKey(), where);
                values.put(f.getKey(), scalar(f.getValue(), where + " key '" + f.getKey() + "'"));
            }
            return values;
        }

        private void checkKey(String key, String where) {
            if (!train.keys().contains(key)) {
                throw error(where + ": unknown key '" + key + "'; known chase train keys: " + String.join(", ", train.keys()));
            }
        }

        private String scalar(JsonNode v, String where) {
            if (v == null || v.isNull() || !v.isValueNode()) {
                throw error(where + " must have single values (text, numbers or true/false), got " + (v == null ? "nothing" : v.toString()));
            }
            return v.asText();
        }
    }
}
