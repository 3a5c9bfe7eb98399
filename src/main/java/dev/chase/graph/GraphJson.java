package dev.chase.graph;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.chase.ChaseException;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The JSON form of a {@link LayerGraph}: {@code {"nodes": [{"op": "input", ...}, ...]}}, one object
 * per node with its kind in {@code op} and every record component as a key (see {@link Node}).
 * Reading is strict: unknown keys, missing keys and nulls are refused, and the graph is validated
 * as it is built, so every failure is one message naming the file and the node.
 */
public final class GraphJson {
    private static final ObjectReader READER = Json.MAPPER.readerFor(LayerGraph.class)
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

    private GraphJson() {}

    /** The graph as indented JSON. */
    public static String toJson(LayerGraph graph) {
        return Json.writePretty(graph);
    }

    /**
     * Reads a graph written by {@link #toJson} (or by hand).
     *
     * @param what names the source in messages, e.g. "graph file net.json"
     */
    public static LayerGraph fromJson(String json, String what) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw Json.error(what, e);
        }
    }

    /** Reads the graph in {@code file}. */
    public static LayerGraph read(Path file) {
        String what = "graph file " + file;
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), what);
        } catch (NoSuchFileException e) {
            throw new ChaseException(what + " does not exist");
        } catch (IOException e) {
            throw Json.error(what, e);
        }
    }
}
