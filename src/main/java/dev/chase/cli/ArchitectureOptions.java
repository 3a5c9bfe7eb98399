package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.graph.GraphJson;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.OnnxImport;
import dev.chase.model.GraphSpec;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.WeightInit;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model NAME [--width X --classes N --in-channels C]}: an architecture named on the command line, not read from a run. */
final class ArchitectureOptions {
    private static final String GRAPH_FILE = "graph:";
    private static final String ONNX_FILE = "onnx:";

    @Option(names = "--model", paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES}.",
            completionCandidates = TrainOptions.ModelNames.class)
    String model;

    @Option(names = "--width", paramLabel = "NAME", defaultValue = "1.0", description = "With --model: width multiplier. Default: ${DEFAULT-VALUE}.")
    double width;

    @Option(names = "--classes", paramLabel = "NAME", defaultValue = "10", description = "With --model: number of classes. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--in-channels", paramLabel = "N", defaultValue = "3",
            description = "With --model: input channels (1 for Fashion-MNIST). Default: ${DEFAULT-VALUE}.")
    int inChannels;

    /** Whether {@code --model} was given. */
    boolean given() {
        return model != null;
    }

    /** Whether {@code --model graph:PATH} or {@code onnx:PATH} names a file rather than a built-in architecture. */
    boolean isGraphFile() {
        return model != null && (model.startsWith(GRAPH_FILE) || model.startsWith(ONNX_FILE));
    }

    /** The named architecture, built in or read from a graph or ONNX file (weights drawn as PyTorch's defaults). */
    NetSpec spec() {
        if (model == null) {
            throw new ChaseException("give --model NAME");
        }
        if (!isGraphFile()) {
            return NetSpecs.named(model, inChannels, classes, width);
        }
        if (width != 1.0 || classes != 10 || inChannels != 3) {
            throw new ChaseException("--width, --classes and --in-channels shape a built-in model; a graph file declares its own");
        }
        return new GraphSpec(WeightInit.PYTORCH_DEFAULT, model.startsWith(ONNX_FILE)
                ? OnnxImport.read(Path.of(model.substring(ONNX_FILE.length())))
                : GraphJson.read(Path.of(model.substring(GRAPH_FILE.length()))));
    }

    /** The architecture's graph. */
    LayerGraph graph() {
        if (isGraphFile()) { // a graph file need not end in logits to be analysed
            return model.startsWith(ONNX_FILE) ? OnnxImport.read(Path.of(model.substring(ONNX_FILE.length())))
                    : GraphJson.read(Path.of(model.substring(GRAPH_FILE.length())));
        }
        return spec().graph();
    }

    /** For messages: "resnet32 width 0.5". */
    @Override
    public String toString() {
        return model + " width " + width;
    }
}
