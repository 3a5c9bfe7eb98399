package dev.chase.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.ChaseException;
import org.junit.jupiter.api.Test;

/** Jackson's failures become one line that names the file and the key, without Jackson's advice to its programmers. */
class JsonTest {
    record Settings(double width, boolean fast, String name) {}

    private static ChaseException read(String json) {
        try {
            Json.MAPPER.readValue(json, Settings.class);
        } catch (java.io.IOException e) {
            return Json.error("settings.json", e);
        }
        throw new AssertionError("read " + json);
    }

    @Test
    void aMissingOrNullNumberOrFlagIsNamed() {
        assertThat(read("{\"fast\": true}").getMessage()).isEqualTo("settings.json: key 'width' is missing or null; it needs a number");
        assertThat(read("{\"width\": 1, \"fast\": null}").getMessage())
                .isEqualTo("settings.json: key 'fast' is missing or null; it needs true or false");
    }

    @Test
    void otherFailuresKeepTheirLocation() {
        assertThat(read("{\"width\": 1, \"fast\": true, \"name\": \"a\"} {").getMessage())
                .startsWith("settings.json is malformed (line 1, column 41): more follows the end of its content");
        assertThat(read("{\"width\": 1, \"fast\": true, \"colour\": 2}").getMessage()).startsWith("settings.json: unknown key 'colour'");
    }
}
