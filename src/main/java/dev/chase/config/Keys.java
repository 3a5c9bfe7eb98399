package dev.chase.config;

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

}
