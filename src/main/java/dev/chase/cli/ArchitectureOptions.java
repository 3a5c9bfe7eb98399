package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.graph.GraphFiles;
import dev.chase.graph.LayerGraph;
import dev.chase.model.GraphSpec;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.WeightInit;
import picocli.CommandLine.Option;

/** {@code --model NAME [--width X --classes N --in-channels C]}: an architecture named on the command line, not read from a run. */
final class ArchitectureOptions {
    @Option(names = "--model", paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES}; or graph:FILE (graph JSON), onnx:FILE.",
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

    /** The named architecture, built in or read from a graph or ONNX file (weights drawn as PyTorch's defaults). */
    NetSpec spec() {
        if (model == null) {
            throw new ChaseException("give --model NAME");
        }
        if (!GraphFiles.isFile(model)) {
            return NetSpecs.named(model, inChannels, classes, width);
        }
        return new GraphSpec(WeightInit.PYTORCH_DEFAULT, graph());
    }

    /** The architecture's graph; a graph file's need not end in logits to be analysed. */
    LayerGraph graph() {
        if (!GraphFiles.isFile(model)) {
            return spec().graph();
        }
        if (width != 1.0 || classes != 10 || inChannels != 3) {
            throw new ChaseException("--width, --classes and --in-channels shape a built-in model; a graph file declares its own");
        }
        return GraphFiles.read(model);
    }

    /** For messages: "resnet32 width 0.5". */
    @Override
    public String toString() {
        return model + " width " + width;
    }
}
