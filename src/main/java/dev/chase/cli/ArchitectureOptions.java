package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import picocli.CommandLine.Option;

/** {@code --model NAME [--width X --classes N --in-channels C]}: an architecture named on the command line, not read from a run. */
final class ArchitectureOptions {
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

    /** The named architecture. */
    NetSpec spec() {
        if (model == null) {
            throw new ChaseException("give --model NAME");
        }
        return NetSpecs.named(model, inChannels, classes, width);
    }

    /** For messages: "resnet32 width 0.5". */
    @Override
    public String toString() {
        return model + " width " + width;
    }
}
