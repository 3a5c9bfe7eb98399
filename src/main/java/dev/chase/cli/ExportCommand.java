package dev.chase.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.chase.export.OnnxWriter;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase export}: a finished run's networks as ONNX files. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Write a finished run's networks as ONNX files.",
            "Write a finished run's networks as ONNX files (opset " + OnnxWriter.OPSET + ", eval mode) into RUN_DIR/export/: "
            + "masked.onnx (the final trained network, its masked-out weights zero) and, for Chase runs, shrunk.onnx (the "
            + "physically narrower network). "
            + "Input '" + OnnxWriter.INPUT + "': (batch, channels, height, width), normalised as in training; output '"
                + OnnxWriter.OUTPUT + "': (batch, classes), no softmax."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A finished run directory.")
    Path runDir;

    @Option(names = "--onnx", required = true, description = "Write ONNX files (the one export format so far).")
    boolean onnx;

    @Option(names = "--include-dense", description = "Also write dense.onnx: the original architecture with freshly initialised (untrained)"
            + " weights, a baseline for speed comparisons in other runtimes.")
    boolean includeDense;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        RunDirectory dir = RunDirectory.open(runDir);
        Path modelDir = dir.finalModelDir();
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Network> networks = new LinkedHashMap<>();
            Network masked = SavedModel.load(modelDir, manager);
            if (includeDense) {
                Engine.getInstance().setRandomSeed(1); // the same dense file every time
                Network dense = Network.build(masked.spec());
                dense.initialize(manager);
                networks.put("dense", dense);
            }
            networks.put("masked", masked);
            if (SavedModel.exists(dir.slimModelDir())) {
                networks.put("shrunk", SavedModel.load(dir.slimModelDir(), manager));
            }
            Path exportDir = runDir.resolve("export");
            for (Map.Entry<String, Network> e : networks.entrySet()) {
                Path file = exportDir.resolve(e.getKey() + ".onnx");
                long bytes = OnnxWriter.write(e.getValue(), e.getKey(), file);
                out.printf(Locale.ROOT, "wrote %s (%s)%n", file, size(bytes));
            }
            if (!networks.containsKey("shrunk")) {
                out.println("no shrunk network (model-slim/): only Chase runs have one");
            }
            out.flush();
        }
        return 0;
    }

    /** A file size in the unit that suits it: 812 B, 39.2 KB, 2.4 MB. */
    static String size(long bytes) {
        return bytes < 1000 ? bytes + " B" : bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
