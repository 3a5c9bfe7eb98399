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

    @Option(names = "--classes", paramLabel = "N",
            description = "With --model: number of classes. Default: 10 for a built-in model; a file's own (given: its last linear layer"
                    + " is set to N outputs, as chase train does for the data).")
    Integer classes;

    @Option(names = "--in-channels", paramLabel = "N",
            description = "With --model: input channels (1 for Fashion-MNIST). Default: 3 for a built-in model; a file's own (given:"
                    + " the convolutions reading the image are set to N, as chase train does for the data).")
    Integer inChannels;

    /** Whether {@code --model} was given. */
    boolean given() {
        return model != null;
    }

    /**
     * The named architecture, built in or read from a graph or ONNX file (weights drawn as PyTorch's
     * defaults), a file's adapted to {@code --in-channels} and {@code --classes} when given.
     */
    NetSpec spec() {
        if (model == null) {
            throw new ChaseException("give --model NAME");
        }
        if (!GraphFiles.isFile(model)) {
            return NetSpecs.named(model, inChannels != null ? inChannels : 3, classes != null ? classes : 10, width);
        }
        LayerGraph file = fileGraph();
        GraphSpec own = new GraphSpec(WeightInit.PYTORCH_DEFAULT, file);
        if (inChannels == null && classes == null) {
            return own;
        }
        return NetSpecs.adapted(model, file, inChannels != null ? inChannels : own.inChannels(),
                classes != null ? classes : own.numClasses(), 0);
    }

    /** The architecture's graph (a graph file's need not end in logits to be analysed unless --classes is given). */
    LayerGraph graph() {
        return GraphFiles.isFile(model) && inChannels == null && classes == null ? fileGraph() : spec().graph();
    }

    /** The graph in the model file ({@code --width} must stay 1). */
    private LayerGraph fileGraph() {
        if (width != 1.0) {
            throw new ChaseException("--width scales a built-in model; " + model + " declares its own widths");
        }
        return GraphFiles.read(model);
    }

    /** For messages: "resnet32 width 0.5". */
    @Override
    public String toString() {
        return model + " width " + width;
    }
}
