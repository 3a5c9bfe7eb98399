package dev.chase.run;

import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.graph.GraphFiles;
import dev.chase.graph.GraphJson;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.metrics.LatencyTable;
import dev.chase.model.NetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where latency tables ({@link LatencyTable}) live and how they are read and written: a cache
 * folder ({@code $CHASE_LATENCY_DIR}, else {@code ~/.cache/chase/latency}) with one JSON file per
 * {@link LatencyTable.Key}, or a file the user names with {@code --latency-table}. A run trained
 * with {@code --target-latency} keeps a copy of the table it used ({@link #RUN_FILE}), so resuming
 * it predicts exactly as before even if the cache changes.
 */
public final class LatencyTableFiles {
    /** The copy of the table in a run directory. */
    public static final String RUN_FILE = "latency-table.json";
    /** The batch size a training run's default table is measured at (that of {@code chase bench}'s throughput). */
    public static final int TRAINING_BATCH_SIZE = 128;

    private LatencyTableFiles() {}

    /** The cache folder: {@code $CHASE_LATENCY_DIR}, else {@code ~/.cache/chase/latency}. */
    public static Path cacheDir() {
        String env = System.getenv("CHASE_LATENCY_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "chase", "latency");
    }

    /** The cached file of a key. */
    public static Path defaultFile(LatencyTable.Key key) {
        return cacheDir().resolve(key.fileName());
    }

    /** The key of the table a run of this config predicts with: batch 128 and the engine's threads. */
    public static LatencyTable.Key key(TrainConfig config, NetSpec spec) {
        return new LatencyTable.Key(architectureName(config.model(), spec), config.width(), spec.inChannels(), spec.numClasses(),
                spec.inputSize(), TRAINING_BATCH_SIZE, LatencyTable.engineThreads());
    }

    /**
     * The model name of a table's key: a built-in model's name; for a {@code graph:} or {@code onnx:}
     * file, its file name and the first 12 hex digits of the SHA-256 of the architecture's graph
     * JSON (after adapting it to the data), so that a cached table is never taken for another
     * architecture that a file of the same name describes.
     *
     * @param model {@code --model} as given
     * @param spec the architecture it gave
     */
    public static String architectureName(String model, NetSpec spec) {
        if (!GraphFiles.isFile(model)) {
            return model;
        }
        String file = GraphFiles.path(model).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(GraphJson.toJson(spec.graph()).getBytes(StandardCharsets.UTF_8));
            return file + "-" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The table file a new run of this config uses: its {@code latency-table} key, else the cached file of {@link #key}. */
    public static Path file(TrainConfig config, NetSpec spec) {
        return config.latencyTable() != null ? Path.of(config.latencyTable()) : defaultFile(key(config, spec));
    }

    /**
     * Reads a table.
     *
     * @throws ChaseException if the file is missing, malformed or of another format
     */
    public static LatencyTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ChaseException("latency table " + file + " does not exist; measure it with chase profile-latency");
        }
        LatencyTable table;
        try {
            table = Json.MAPPER.readValue(Files.readString(file), LatencyTable.class);
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw Json.error("latency table " + file, e);
            }
            throw new ChaseException("cannot read latency table " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (table.format() != LatencyTable.FORMAT || table.key() == null || table.layers().isEmpty()) {
            throw new ChaseException("latency table " + file + " has format " + table.format() + " or no layers; this build reads format "
                    + LatencyTable.FORMAT + "; measure it again with chase profile-latency --force");
        }
        return table;
    }

    /**
     * Reads a table and checks that it describes the architecture of {@code expected}.
     *
     * @throws ChaseException if it does not, or cannot be read
     */
    public static LatencyTable read(Path file, LatencyTable.Key expected) {
        LatencyTable table = read(file);
        if (!table.key().sameArchitecture(expected)) {
            throw new ChaseException("latency table " + file + " was measured for " + describe(table.key()) + ", not for "
                    + describe(expected) + "; choose another --latency-table or measure it with chase profile-latency");
        }
        return table;
    }

    /** Writes a table atomically (creating its folder). */
    public static void write(Path file, LatencyTable table) {
        AtomicFiles.writeString(file, Json.writePretty(table));
    }

    private static String describe(LatencyTable.Key k) {
        return k.model() + " width " + k.width() + " with " + k.inChannels() + " input channels, " + k.classes() + " classes, "
                + k.inputSize() + "x" + k.inputSize() + " input";
    }
}
