package dev.chase.config;

import dev.chase.Require;
import dev.chase.graph.GraphFiles;

/**
 * The network to train: a built-in architecture at a width, or an architecture read from a file.
 *
 * @param name the built-in architecture, or null for a file
 * @param width width multiplier applied to every layer, in (0, 4]; 1 for a file, which declares its own widths
 * @param file {@code graph:PATH} (a graph JSON file) or {@code onnx:PATH}, or null for a built-in architecture
 * @param initFromOnnx with an {@code onnx:PATH} file: start from its weights ({@code dev.chase.model.OnnxInit}) instead of drawn ones
 */
public record ModelConfig(Model name, double width, String file, boolean initFromOnnx) {
    public ModelConfig {
        Require.that(name != null || file != null, "model must be given");
        Require.that(name == null || file == null, "a model is a built-in architecture or a file, not both");
        Require.that(width > 0 && width <= 4, "width must be in (0, 4], got " + width);
        Require.that(file == null || GraphFiles.isFile(file) && file.indexOf(':') < file.length() - 1,
                "a model file is given as graph:PATH or onnx:PATH, got " + file);
        Require.that(file == null || width == 1, "--width scales a built-in model; " + file + " declares its own widths");
        Require.that(!initFromOnnx || file != null && file.startsWith("onnx:"),
                "--init-from-onnx starts from the weights of an onnx:FILE model; " + (file != null ? file : name.key()) + " is not one");
    }

    /** A built-in architecture. */
    public ModelConfig(Model name, double width) {
        this(name, width, null, false);
    }

    /** The model of the flat config's {@code model}, {@code width} and {@code init-from-onnx}. */
    static ModelConfig parse(String model, double width, Boolean initFromOnnx) {
        return GraphFiles.isFile(model) ? new ModelConfig(null, width, model, Boolean.TRUE.equals(initFromOnnx))
                : new ModelConfig(Model.parse(model), width, null, Boolean.TRUE.equals(initFromOnnx));
    }

    /** The flat config's {@code model}: the built-in name or the file. */
    public String key() {
        return name != null ? name.key() : file;
    }
}
