package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.Flops;
import dev.chase.metrics.TrainingFlops;
import dev.chase.model.NetSpec;
import dev.chase.run.RunFlops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase flops}: theoretical FLOPs of a run (test and training) or of an architecture. */
@Command(name = "flops", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"FLOPs per image of a finished run, and its training FLOPs.",
            "Count FLOPs per image (conv and linear layers, 2 per multiply-add, as the paper does) of a finished run: "
            + "dense original, the final network's non-zeros (sparse) and the shrunk network counted dense (dense-of-slim), "
            + "per layer and in total, and the training FLOPs along the run's trajectory against dense training. "
            + "Writes RUN_DIR/flops.json. With --model instead of RUN_DIR: the dense FLOPs of an architecture (a built-in one, graph:PATH or onnx:PATH)."})
final class FlopsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A finished run directory.")
    Path runDir;

    @Mixin
    ArchitectureOptions architecture;

    @Override
    public Integer call() {
        if ((runDir == null) == !architecture.given()) {
            throw new ChaseException("give either a run directory or --model NAME");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (architecture.given()) {
            NetSpec net = architecture.spec();
            Flops flops = FlopCounter.count(net);
            out.printf(Locale.ROOT, "%s, width %s, %d input channels, %d classes, %dx%d input: dense FLOPs per image%n", architecture.model,
                    architecture.width, net.inChannels(), net.numClasses(), net.inputSize(), net.inputSize());
            out.printf(Locale.ROOT, "%-22s %10s %12s %14s%n", "layer", "out pixels", "weights", "FLOPs");
            for (Flops.Layer l : flops.layers()) {
                out.printf(Locale.ROOT, "%-22s %10d %12d %14s%n", l.name(), l.outputPixels(), l.weights(), sci(l.dense()));
            }
            out.printf(Locale.ROOT, "%-22s %10s %12d %14s%n", "total", "", flops.layers().stream().mapToLong(Flops.Layer::weights).sum(),
                    sci(flops.dense()));
        } else {
            RunFlops r = RunFlops.of(runDir);
            print(out, r);
            Path file = runDir.resolve("flops.json");
            AtomicFiles.writeString(file, Json.writePretty(r));
            out.printf("wrote %s%n", file);
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, RunFlops r) {
        Flops f = r.test();
        out.printf(Locale.ROOT, "%s: %s %s, %dx%d input; FLOPs per test image%n", runDir, r.method(), r.model(), r.inputSize(),
                r.inputSize());
        out.printf(Locale.ROOT, "%-22s %10s %12s %12s %11s %11s %11s%n", "layer", "out pixels", "weights", "non-zeros", "dense",
                "sparse", "dense-slim");
        for (Flops.Layer l : f.layers()) {
            out.printf(Locale.ROOT, "%-22s %10d %12d %12d %11s %11s %11s%n", l.name(), l.outputPixels(), l.weights(), l.nonZeros(),
                    sci(l.dense()), sci(l.sparse()), sci(l.slim()));
        }
        List<Flops.Layer> layers = f.layers();
        out.printf(Locale.ROOT, "%-22s %10s %12d %12d %11s %11s %11s%n", "total", "", layers.stream().mapToLong(Flops.Layer::weights).sum(),
                layers.stream().mapToLong(Flops.Layer::nonZeros).sum(), sci(f.dense()), sci(f.sparse()), sci(f.slim()));
        out.printf(Locale.ROOT, "%-22s %10s %12s %12s %11s %11.4f %11.4f%n", "fraction of dense", "", "", "", "1", f.sparseFraction(),
                f.slimFraction());
        TrainingFlops.Result t = r.training();
        out.printf(Locale.ROOT, "training FLOPs: %s, %.4f of dense training (%s); %d steps of %d images, %d with a dense gradient%n",
                sci(t.sparse()), t.fraction(), sci(t.dense()), t.steps(), t.imagesPerStep(), t.gradientSteps());
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.4e", v);
    }
}
