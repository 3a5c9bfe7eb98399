package dev.chase.graph;

import java.nio.file.Path;

/** A model given as a file on the command line or in a config: {@code graph:PATH} (graph JSON) or {@code onnx:PATH}. */
public final class GraphFiles {
    private static final String GRAPH = "graph:";
    private static final String ONNX = "onnx:";

    private GraphFiles() {}

    /** Whether {@code model} names a file rather than a built-in architecture. */
    public static boolean isFile(String model) {
        return model != null && (model.startsWith(GRAPH) || model.startsWith(ONNX));
    }

    /**
     * The graph in the file {@code model} names.
     *
     * @throws dev.chase.ChaseException if the file is missing, unreadable or not a graph chase can read
     */
    public static LayerGraph read(String model) {
        return model.startsWith(ONNX) ? OnnxImport.read(path(model)) : GraphJson.read(path(model));
    }

    /** The file {@code model} ({@code graph:PATH} or {@code onnx:PATH}) names. */
    public static Path path(String model) {
        return Path.of(model.substring((model.startsWith(ONNX) ? ONNX : GRAPH).length()));
    }
}
