package dev.chase.config;

import dev.chase.ChaseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Helpers shared by the records: user-facing enum names and checks. */
final class Keys {
    private Keys() {}

    /** The user-facing name of a constant: lower case, '_' as '-' (ACTIVE_MEAN is "active-mean"). */
    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The user-facing names of an enum's constants, in order. */
    static <E extends Enum<E>> List<String> keys(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Keys::key).toList();
    }

    /** The constant whose key is exactly {@code name}, or null. */
    static <E extends Enum<E>> E find(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (key(e).equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The constant whose key is exactly {@code name}; otherwise the command line's message, e.g.
     * "unknown channel schedule 'linear': use cubic or cosine".
     *
     * @param what what the name names, as the message says it
     */
    static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        E e = find(type, name);
        if (e == null) {
            List<String> keys = keys(type);
            throw new ChaseException("unknown " + what + " '" + name + "': use "
                    + String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.get(keys.size() - 1));
        }
        return e;
    }
}
