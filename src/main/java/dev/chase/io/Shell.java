package dev.chase.io;

import java.util.regex.Pattern;

/** Words of the command lines chase prints as hints, quoted so that copying them into a POSIX shell works. */
public final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code word} as is when the shell takes it literally, else in single quotes ({@code it's} becomes {@code 'it'\''s'}). */
    public static String quote(Object word) {
        String s = String.valueOf(word);
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
