package dev.chase.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Readable, unique run directory names from the values that differ between a sweep's runs: a value
 * of {@code model} or {@code method} stands alone ({@code chase}), true and false name the key
 * ({@code prune-skip}, {@code no-prune-skip}), any other value follows its key ({@code seed1},
 * {@code density0.1}); parts are joined by {@code -}. Characters other than letters, digits,
 * {@code .}, {@code _} and {@code -} become {@code _}; a name taken already gets {@code -2},
 * {@code -3}, ...; a sweep of one run names it {@code run}.
 */
final class RunNames {
    private static final Set<String> BARE = Set.of("model", "method", "dataset");

    private RunNames() {}

    /** One name per configuration, in order. */
    static List<String> of(List<Map<String, String>> configs) {
        List<String> keys = new ArrayList<>();
        for (Map<String, String> c : configs) {
            // a key first seen here goes right after the key it follows in this config, so names keep the sweep file's order
            int at = 0;
            for (String k : c.keySet()) {
                int i = keys.indexOf(k);
                if (i < 0) {
                    keys.add(at, k);
                    i = at;
                }
                at = i + 1;
            }
        }
        List<String> varying = keys.stream()
                .filter(k -> configs.stream().map(c -> c.get(k)).distinct().count() > 1)
                .toList();
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Map<String, String> c : configs) {
            List<String> parts = new ArrayList<>();
            for (String k : varying) {
                String v = c.get(k);
                if (v != null) {
                    parts.add(part(k, v));
                }
            }
            String name = sanitize(parts.isEmpty() ? "run" : String.join("-", parts));
            String unique = name;
            for (int n = 2; !taken.add(unique); n++) {
                unique = name + "-" + n;
            }
            names.add(unique);
        }
        return names;
    }

    private static String part(String key, String value) {
        if (BARE.contains(key)) {
            return value;
        }
        if (Objects.equals(value, "true")) {
            return key;
        }
        if (Objects.equals(value, "false")) {
            return "no-" + key;
        }
        return key + value;
    }

    static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        // never a hidden name, never . or ..
        return s.startsWith(".") ? "_" + s.substring(1) : s;
    }
}
