package dev.chase.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chase.ChaseException;
import java.util.stream.Collectors;

/**
 * The project's JSON and YAML mappers and the one place that turns Jackson's exceptions into
 * user-facing messages (a line and column, the unknown key, never a trace).
 */
public final class Json {
    /** Compact JSON, strict about unknown properties and about anything after the value (a file written twice over). */
    public static final ObjectMapper MAPPER = configure(new ObjectMapper());
    /** YAML (a superset of JSON), as strict: a second document in a file is refused, not ignored. */
    public static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    private Json() {}

    private static ObjectMapper configure(ObjectMapper m) {
        return m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    }

    /** Serialises a value to one line of JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Serialises a value to indented JSON (for files people read). */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * A one-line description of a parse failure.
     *
     * @param what names the thing being read, e.g. "recipe runs/a/config.json"
     */
    public static ChaseException error(String what, Exception e) {
        if (e.getCause() instanceof ChaseException ce) {
            return new ChaseException(what + ": " + ce.getMessage(), e);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ChaseException(what + ": unknown key '" + u.getPropertyName() + "'"
                    + (u.getKnownPropertyIds() == null ? "" : "; known keys: " + u.getKnownPropertyIds()));
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Cannot map `null`")) {
            String key = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new ChaseException(what + ": key '" + key + "' is missing or null; it needs "
                    + (m.getTargetType() == boolean.class ? "true or false" : "a number"));
        }
        if (e instanceof JsonProcessingException j) {
            String loc = j.getLocation() == null ? "" : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            String problem = j.getOriginalMessage().startsWith("Trailing token")
                    ? "more follows the end of its content (a second YAML document, or a file written twice over)" : j.getOriginalMessage();
            return new ChaseException(what + " is malformed" + loc + ": " + problem);
        }
        return new ChaseException(what + " cannot be read: " + e.getMessage(), e);
    }
}
